#!/usr/bin/env bash
# output.sh NNTERM — write errors on standard output (issue 11): a failed write or close of stdout
# is exit 1 with one line on stderr (a full disk: /dev/full; a closed stdout), and a reader that
# goes away (EPIPE; SIGPIPE is ignored) does not lose a requested --save: the run goes on silently,
# saves, and says so (exit 1). Without --save it stops at once.
. "$(dirname "$0")/lib.sh" "$@"

[ -w /dev/full ] || { echo "no /dev/full: skipped"; exit 77; }

full() {   # full ARGS...: nnterm with stdout on /dev/full
    label="nnterm $* >/dev/full"
    "$NNTERM" "$@" >/dev/full 2>"$T/err"
    rc=$?
    : >"$T/out"
}

full train iris --json
expect_rc 1
expect_err_lines 1
expect_err_has "nnterm: standard output: No space left on device"
expect_err_has "training stopped after epoch 1"
full train iris
expect_rc 1
expect_err_lines 1
full train iris --quiet
expect_rc 1
expect_err_lines 1
full train iris --epochs 5 --json --save "$T/m.json"
expect_rc 1
expect_err_lines 1
expect_err_has "the model was saved to $T/m.json after epoch 5"
grep -q '"nnterm-model"' "$T/m.json"
check $? "no model saved"
full race xor --epochs 3 --optimizers sgd,adam
expect_rc 1
expect_err_has "standard output"
full check iris
expect_rc 1
full presets
expect_rc 1
full --help
expect_rc 1
full --version
expect_rc 1

# predict: 3000 rows, far more than a stdio buffer: stops at the first failed write
python3 -c 'import json, sys; f = json.load(open(sys.argv[1]))["features"]; print(",".join(f)); [print(",".join(["1.5"] * len(f))) for _ in range(3000)]' "$T/m.json" >"$T/rows.csv"
run predict "$T/m.json" "$T/rows.csv"
expect_rc 0
[ "$(grep -c '' "$T/out")" -eq 3001 ]
check $? "predict wrote $(grep -c '' "$T/out") lines, not 3001"
full predict "$T/m.json" "$T/rows.csv"
expect_rc 1
expect_err_lines 1
expect_err_has "nnterm: standard output: No space left on device"

# stdout closed: writing to it fails (EBADF)
label="nnterm presets >&-"
"$NNTERM" presets >&- 2>"$T/err"
rc=$?
expect_rc 1
expect_err_has "standard output: Bad file descriptor"

# A reader that goes away: 400 KB of JSON lines into `head -2`. Nothing may die of SIGPIPE; with
# --save the training goes on, the model is saved, and the run ends with exit 1 and one line.
label="train iris --epochs 2000 --json --save m.json | head -2"
rm -f "$T/m.json"
"$NNTERM" train iris --epochs 2000 --json --save "$T/m.json" 2>"$T/err" | head -2 >"$T/out"
rc=${PIPESTATUS[0]}
expect_rc 1
expect_err_lines 1
expect_err_has "standard output: Broken pipe (the output is cut short; the model was saved to $T/m.json after epoch 2000)"
[ "$(grep -c '' "$T/out")" -eq 2 ]
check $? "head did not get two lines"
grep -q '"nnterm-model"' "$T/m.json"
check $? "the model was not saved"
python3 -c 'import json, sys; f = json.load(open(sys.argv[1]))["features"]; print(",".join(f)); print(",".join(["1"] * len(f)))' "$T/m.json" >"$T/one.csv"
"$NNTERM" predict "$T/m.json" "$T/one.csv" >/dev/null 2>&1
check $? "the saved model does not predict"
# without --save: stops at once
label="train iris --epochs 1000000 --json | head -1"
"$NNTERM" train iris --epochs 1000000 --json 2>"$T/err" | head -1 >"$T/out"
rc=${PIPESTATUS[0]}
expect_rc 1
expect_err_lines 1
expect_err_has "standard output: Broken pipe (training stopped after epoch"
# text output and predict into a closed pipe: exit 1, not death by SIGPIPE (141)
label="train iris --epochs 2000 | head -1"
"$NNTERM" train iris --epochs 2000 2>"$T/err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
expect_rc 1
label="predict | head -1"
"$NNTERM" predict "$T/m.json" "$T/rows.csv" 2>"$T/err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
expect_rc 1
expect_err_has "standard output: Broken pipe"

finish
