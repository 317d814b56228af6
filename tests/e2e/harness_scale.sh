#!/usr/bin/env bash
# The harness gives sanitizer builds four times longer deadlines (E2E_SCALE 4 when ldd lists
# libasan, libtsan or libubsan), every time: with a long ldd output, `ldd | grep -q` under pipefail
# lost the race against SIGPIPE and left the scale at 1. A fake ldd on PATH stands in for the build.
# Exit 77 (skipped) without tmux (the harness needs it).
set -euo pipefail
command -v tmux >/dev/null || { echo "tmux not found: skipped"; exit 77; }
HERE=$(cd "$(dirname "$0")" && pwd)
FAKE=$(mktemp -d)
trap 'rm -rf "$FAKE"' EXIT
scale() {   # scale LIB: E2E_SCALE for a binary whose ldd lists LIB first, then 20000 more lines
    cat >"$FAKE/ldd" <<LDD
#!/bin/sh
echo "	$1 => /lib/x86_64-linux-gnu/$1 (0x00007f0000000000)"
i=0; while [ \$i -lt 20000 ]; do echo "	libother\$i.so => /lib/libother\$i.so (0x00007f0000001000)"; i=\$((i+1)); done
LDD
    chmod +x "$FAKE/ldd"
    (PATH="$FAKE:$PATH" APP=/bin/true S=x; . "$HERE/harness.sh"; echo "$E2E_SCALE")
}
for i in 1 2 3 4 5; do
    [ "$(scale libtsan.so.2)" = 4 ] || { echo "FAIL: libtsan: deadlines not scaled (run $i)" >&2; exit 1; }
    [ "$(scale libasan.so.8)" = 4 ] || { echo "FAIL: libasan: deadlines not scaled (run $i)" >&2; exit 1; }
done
[ "$(scale libm.so.6)" = 1 ] || { echo "FAIL: a plain build got longer deadlines" >&2; exit 1; }
echo "ok - sanitizer builds get four times longer deadlines, every time"
