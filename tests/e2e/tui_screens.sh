#!/usr/bin/env bash
# tui_screens.sh NNTERM [--update] — every screen of the trainer (screens.sh: each view, panel and
# overlay at 80x24, 120x40 and 220x60, in colour and with --no-color, on iris, xor and sine, paused
# after 3 epochs) must be the screen recorded in tests/e2e/screens.sha256, character for character
# and colour for colour (samples/s, the elapsed time and the ETA masked). The record was made with
# the code before the panels got one interface (issue 12), so a change of the UI's structure that
# changes nothing on screen passes, and anything else fails with the screens that differ.
# --update records the screens anew: only for an intended change of what the screen shows (say
# so in the commit). Exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
REC=$HERE/screens.sha256
command -v tmux >/dev/null || { echo "tmux not found: skipped"; exit 77; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
bash "$HERE/screens.sh" "$APP" "$OUT/s"
(cd "$OUT/s" && find . -type f -name '*.txt' | LC_ALL=C sort | xargs sha256sum) >"$OUT/now.sha256"
if [ "${2:-}" = --update ]; then
  cp "$OUT/now.sha256" "$REC"
  echo "recorded $(wc -l <"$REC") screens in $REC"
  exit 0
fi
if cmp -s "$REC" "$OUT/now.sha256"; then
  echo "$(wc -l <"$REC") screens as recorded"
  exit 0
fi
# what differs: the names, and each differing screen as text (escapes removed)
diff "$REC" "$OUT/now.sha256" | grep '^>' | awk '{print $3}' | while read -r f; do
  echo "FAIL: $f differs from the record; now:"
  sed 's/\x1b\[[0-9;]*m//g' "$OUT/s/$f"
done >&2
diff "$REC" "$OUT/now.sha256" | grep '^<' | awk '{print $3}' | while read -r f; do
  [ -f "$OUT/s/$f" ] || echo "FAIL: $f is missing" >&2
done
exit 1
