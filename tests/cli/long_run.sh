#!/usr/bin/env bash
# long_run.sh NNTERM — a long headless run: iris for 2000 epochs with --json completes (exit 0),
# prints 2000 epoch lines numbered 1..2000 then the final report, nothing on stderr; under ASan the
# leak check at exit covers the whole run.
. "$(dirname "$0")/lib.sh" "$@"

run train iris --epochs 2000 --json
expect_rc 0
expect_err_lines 0
[ "$(grep -c '"epoch":' "$T/out")" -eq 2000 ]
check $? "expected 2000 epoch lines, got $(grep -c '"epoch":' "$T/out")"
[ "$(sed -n 's/^{"epoch":\([0-9]*\),.*/\1/p' "$T/out" | tr '\n' ' ')" = "$(seq -s ' ' 1 2000) " ]
check $? "the epoch lines are not numbered 1..2000 in order"
[ "$(grep -c '' "$T/out")" -eq 2001 ]
check $? "expected 2001 lines in all"
tail -n 1 "$T/out" | grep -q '^{"final":true,"epochs":2000,'
check $? "the last line is not the final report of 2000 epochs"

# The same run in text mode, two threads: the header, 2000 epoch lines and the report.
run train iris --epochs 2000 --threads 2
expect_rc 0
expect_err_lines 0
[ "$(grep -c '^epoch ' "$T/out")" -eq 2000 ]
check $? "expected 2000 text epoch lines"
expect_out_has "macro avg"

finish
