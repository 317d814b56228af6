# lib.sh — sourced by the CLI tests (bash): the nnterm under test, a scratch folder, and checks.
# Usage in a test:  . "$(dirname "$0")/lib.sh" "$@"   then  run ARGS...; expect_rc 2 "what"; ...; finish
# A test exits 0 when every check passed, 1 when one failed, 77 (skip) without an nnterm binary.
set -u
NNTERM=${1:-}
if [ -z "$NNTERM" ] || [ ! -x "$NNTERM" ]; then
    echo "usage: $0 PATH/TO/nnterm (skipped: no binary)"
    exit 77
fi
NNTERM=$(cd "$(dirname "$NNTERM")" && pwd)/$(basename "$NNTERM")
T=$(mktemp -d "${TMPDIR:-/tmp}/nnterm-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export NNTERM_RUNS=off   # no run records in the user's home from a test
checks=0
fails=0
rc=0
label=""

# run ARGS...: runs nnterm with stdout in $T/out, stderr in $T/err and the status in $rc.
run() {
    label="nnterm $*"
    "$NNTERM" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}

fail() {
    fails=$((fails + 1))
    echo "FAIL: $label: $*"
    echo "  exit status: $rc"
    echo "  stderr: $(head -c 1500 "$T/err")"
    echo "  stdout (tail): $(tail -c 600 "$T/out")"
}

check() {   # check CONDITION-STATUS MESSAGE: counts one check
    checks=$((checks + 1))
    [ "$1" -eq 0 ] || fail "$2"
}

expect_rc() { [ "$rc" -eq "$1" ]; check $? "expected exit status $1"; }
err_lines() { grep -c '' "$T/err"; }
expect_err_lines() { [ "$(err_lines)" -eq "$1" ]; check $? "expected $1 line(s) on stderr, got $(err_lines)"; }
expect_err_has() { grep -qF -- "$1" "$T/err"; check $? "stderr does not contain '$1'"; }
expect_out_has() { grep -qF -- "$1" "$T/out"; check $? "stdout does not contain '$1'"; }
# expect_every_err_line_has S: every stderr line names S (a file)
expect_every_err_line_has() {
    [ "$(grep -cvF -- "$1" "$T/err")" -eq 0 ] && [ "$(err_lines)" -gt 0 ]
    check $? "not every stderr line names '$1'"
}

# bad NEEDLE ARGS...: bad input: exit 2 and exactly one line on stderr, which contains NEEDLE.
bad() {
    local needle=$1
    shift
    run "$@"
    expect_rc 2
    expect_err_lines 1
    expect_err_has "$needle"
}

finish() {
    echo "$(basename "$0"): $checks checks, $fails failed"
    [ "$fails" -eq 0 ] && [ "$checks" -gt 0 ]
    exit $?
}
