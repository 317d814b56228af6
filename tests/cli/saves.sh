#!/usr/bin/env bash
# saves.sh NNTERM — model saves are atomic (temporary file in the same folder, flush, rename): when
# the write fails (file-size limit, missing folder) the run exits 1 with one line naming the file,
# the old model is unchanged byte for byte, and no temporary file is left behind.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$T/models"
m=$T/models/m.json

# listing DIR: the folder's entries, hidden ones included
listing() { ls -A "$1" | tr '\n' ' '; }

run train iris --epochs 2 --quiet --save "$m"
expect_rc 0
expect_err_lines 0
[ -s "$m" ] && grep -q '"nnterm-model"' "$m"
check $? "no model written"
cp "$m" "$T/m.orig"
size=$(wc -c <"$m")
[ "$size" -gt 4096 ]
check $? "the model ($size bytes) is too small for the 2 KB write limit below to bite"

# A file-size limit of 2 KB (ulimit -f counts 1 KB blocks) with SIGXFSZ ignored: write() fails
# with EFBIG part-way through the model. stdout goes through a pipe, which the limit does not touch.
label="train iris --save m.json under ulimit -f 2"
( trap '' XFSZ; ulimit -f 2; exec "$NNTERM" train iris --epochs 3 --seed 7 --json --save "$m" ) 2>"$T/err" | cat >"$T/out"
rc=${PIPESTATUS[0]}
expect_rc 1
expect_err_lines 1
expect_err_has "m.json"
cmp -s "$m" "$T/m.orig"
check $? "the old model changed"
[ "$(listing "$T/models")" = "m.json " ]
check $? "left behind in the folder: $(listing "$T/models")"
tail -n 1 "$T/out" | grep -q '"final":true'
check $? "no final report before the failed save"

# The same limit when there is no old model: nothing at all is left.
rm -f "$m"
( trap '' XFSZ; ulimit -f 2; exec "$NNTERM" train iris --epochs 1 --quiet --save "$m" ) >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err_lines 1
[ -z "$(listing "$T/models")" ]
check $? "left behind in the folder: $(listing "$T/models")"
cp "$T/m.orig" "$m"

# A folder that does not exist.
run train iris --epochs 1 --quiet --save "$T/nowhere/m.json"
expect_rc 1
expect_err_lines 1
expect_err_has "nowhere/m.json"
[ ! -e "$T/nowhere" ]
check $? "the missing folder was created"

# A path that is a directory.
run train iris --epochs 1 --quiet --save "$T/models"
expect_rc 1
expect_err_lines 1
expect_err_has "models"
[ "$(listing "$T/models")" = "m.json " ] && cmp -s "$m" "$T/m.orig"
check $? "the folder changed: $(listing "$T/models")"

# And a save that works replaces the old model in one piece.
run train iris --epochs 3 --seed 7 --quiet --save "$m"
expect_rc 0
! cmp -s "$m" "$T/m.orig" && grep -q '"nnterm-model"' "$m" && [ "$(listing "$T/models")" = "m.json " ]
check $? "the new model did not replace the old one cleanly: $(listing "$T/models")"
python3 -c 'import json, sys; f = json.load(open(sys.argv[1]))["features"]; print(",".join(f)); print(",".join(["1"] * len(f)))' "$m" >rows.csv
run predict "$m" rows.csv
expect_rc 0
[ "$(grep -c '' "$T/out")" -ge 2 ]
check $? "the new model does not predict"

finish
