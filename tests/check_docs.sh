#!/bin/sh
# docs/preset-keys.md must be `nnterm keys --markdown` (generated from the code's tables; test_preset
# checks the same through the library), and the README must repeat its key table, row for row, and its
# lists of activations, losses, optimizers, schedules and sources; every subcommand in `nnterm --help`
# must be in the README.
set -eu
root=$1 nnterm=$2
fail=0
if ! "$nnterm" keys --markdown | cmp -s - "$root/docs/preset-keys.md"; then
    echo "docs/preset-keys.md is not what nnterm keys --markdown writes (regenerate it)" >&2
    fail=1
fi
grep -E '^(\| `|- `)' "$root/docs/preset-keys.md" > "${TMPDIR:-/tmp}/keys.$$" || true
while IFS= read -r row; do
    if ! grep -qxF -- "$row" "$root/README.md"; then
        echo "README.md lacks the line of docs/preset-keys.md: $row" >&2
        fail=1
    fi
done < "${TMPDIR:-/tmp}/keys.$$"
rm -f "${TMPDIR:-/tmp}/keys.$$"
for cmd in train race check predict report runs verify compare presets keys; do
    "$nnterm" --help | grep -q "nnterm $cmd" || { echo "--help lacks nnterm $cmd" >&2; fail=1; }
    grep -q "nnterm $cmd" "$root/README.md" || { echo "README.md lacks nnterm $cmd" >&2; fail=1; }
done
for opt in $("$nnterm" --help | grep -oE -- '--[a-z-]+' | sort -u); do
    grep -q -- "$opt" "$root/README.md" || { echo "README.md does not mention $opt (from --help)" >&2; fail=1; }
done
# CI runs the README's test command as it is written (.ci/run); the README gives it twice, the same
tests=$(grep -E '^    tools/bootstrap.* && meson test ' "$root/README.md" | sed 's/^    //' | sort -u)
if [ -z "$tests" ] || [ "$(printf '%s\n' "$tests" | grep -c '')" -ne 1 ]; then
    echo "README.md: expected one test command (tools/bootstrap ... && meson test ...), found: $tests" >&2
    fail=1
elif ! grep -qxF -- "$tests" "$root/.ci/run"; then
    echo ".ci/run does not run the README's test command as written: $tests" >&2
    fail=1
fi
if grep -n '@@[A-Z]*@@' "$root/README.md" >&2; then
    echo "README.md has unfilled placeholders" >&2
    fail=1
fi
[ $fail -eq 0 ] && echo "1 passed, 0 failed"
exit $fail
