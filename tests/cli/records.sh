#!/usr/bin/env bash
# records.sh NNTERM — run records (issue 15): `train --record DIR` writes one JSON file and changes
# nothing else; `runs` lists records; `verify` re-runs one (exit 0), finds an edited one (exit 1);
# a resumed run's record verifies too; `compare` shows what differs; the default folder follows XDG.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh" "$@"

figures() { sed -e 's/,"seconds":[^,}]*//' -e 's/,"eval_seconds":[^,}]*//' "$1"; }

run train iris --epochs 5 --json
figures "$T/out" >plain.txt
run train iris --epochs 5 --json --record R
expect_rc 0
expect_err_lines 0
figures "$T/out" >recorded.txt
cmp -s plain.txt recorded.txt
check $? "--record changed the --json output"
[ "$(ls R | wc -l)" -eq 1 ] && ls R | grep -qE '^[0-9]{8}-[0-9]{6}-Iris-seed-configuration\.json$'
check $? "expected one record named DATE-TIME-NAME.json in R: $(ls R)"
rec=R/$(ls R)
/usr/bin/python3 - "$rec" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["format"] == "nnterm-record" and r["version"] == 1, r["format"]
for k in ("nnterm", "date", "name", "seed", "preset", "epochs", "live_changes", "final", "fingerprint"):
    assert k in r, k
assert [e["epoch"] for e in r["epochs"]] == [1, 2, 3, 4, 5]
assert r["live_changes"] == []
assert r["final"]["final"] is True and "accuracy" in r["final"]
assert r["seed"] == "1234" and r["preset"]["seed"] == 1234
PY
check $? "the record lacks a field"

run train iris --epochs 3 --record R
expect_rc 0
expect_out_has "run recorded in R/"

# runs
run runs R
expect_rc 0
expect_out_has "Iris (seed configuration)"
expect_out_has "hidden 40 relu, sgd lr 0.03, batch 16"
expect_out_has "acc 0."
[ "$(grep -c 'Iris' "$T/out")" -eq 2 ]
check $? "runs does not list both records"

# verify: the same numbers, exactly, whatever the thread count
run verify "$rec"
expect_rc 0
expect_out_has "figures: 5 epochs agree exactly"
expect_out_has "VERIFIED: this preset and seed produce this record"
run verify "$rec" --threads 1
expect_rc 0
expect_out_has "agree exactly"

# an edited figure: the fingerprint says so, and verify fails
sed 's/"test_loss":\([0-9.]*\),"train_accuracy"/"test_loss":0.5,"train_accuracy"/' "$rec" >edited.json
cmp -s "$rec" edited.json && echo "sed did not edit"
run verify edited.json
expect_rc 1
expect_out_has "EDITED: the fingerprint is"
expect_out_has "NOT VERIFIED"
run runs .
expect_out_has "EDITED"
# whitespace is not an edit
/usr/bin/python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open("reindented.json","w"), indent=1)' "$rec"
run verify reindented.json
expect_rc 0

# live changes (the trainer's): verify makes them again at their epoch and batch. A record with an
# lr change written in by hand: the changed run's figures are not the record's (the fingerprint
# aside), and verify says the change is made; a change the engine refuses, or a malformed one, is
# named (tests/e2e/tui_record.sh makes real ones in the trainer)
/usr/bin/python3 - "$rec" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["live_changes"] = [{"epoch": 2, "batch": 0, "lr": 0.3, "what": "lr 0.03 -> 0.3"}]
json.dump(r, open("lr.json", "w"))
r["live_changes"] = [{"epoch": 2, "batch": 0, "set": "model.layers.0.units", "value": "3", "what": "units"}]
json.dump(r, open("units.json", "w"))
r["live_changes"] = [{"epoch": 2, "what": "no batch"}]
json.dump(r, open("malformed.json", "w"))
PY
run verify lr.json
expect_rc 1
expect_out_has "the run had 1 live change: the re-run makes it at the same epoch and batch"
expect_out_has "figures: DIFFER at epoch 3"
run verify units.json
expect_rc 1
expect_out_has "figures: DIFFER at live change 1 (units) at epoch 2, batch 0: "
bad "malformed.json: live_changes.0: not a live change in order" verify malformed.json

# a resumed run's record covers its own epochs and verifies against a run from the start
run train iris --epochs 3 --save m.json
run train --resume m.json --epochs 2 --record R2 --json
expect_rc 0
rec2=R2/$(ls R2)
run verify "$rec2"
expect_rc 0
expect_out_has "figures: 2 epochs agree exactly"

# an untrained run (--epochs 0): verify checks its final object, the initial weights' figures
run train iris --epochs 0 --record R4 --quiet
run verify R4/*.json
expect_rc 0
expect_out_has "figures: 0 epochs agree exactly"
/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["seed"]="7"; r["preset"]["seed"]=7; json.dump(r, open("seed7.json","w"))' R4/*.json
run verify seed7.json
expect_rc 1
expect_out_has "figures: DIFFER at final"

# a CSV preset's record verifies from the record's folder when the data is not where it was
mkdir -p own && cp "$here/../../presets/wine.csv" own/wine.csv
/usr/bin/python3 -c 'import json; p=json.load(open("'"$here"'/../../presets/wine.json")); p["training"]["epochs"]=2; json.dump(p, open("own/wine.json","w"))'
run train own/wine.json --record R5 --quiet
expect_rc 0
mkdir -p moved && cp R5/*.json moved/ && cp own/wine.csv moved/ && rm -rf own
run verify moved/*.json
expect_rc 0
expect_out_has "figures: 2 epochs agree exactly"

# compare: the differing keys and the final metrics
run train iris --epochs 3 --set training.optimizer.learning_rate=0.1 --record R3 --quiet
run compare R/*.json R3/*.json
expect_rc 0
expect_out_has "lr"
expect_out_has "0.03"
expect_out_has "0.1 "
expect_out_has "epochs"
run compare "$rec" "$rec"
expect_out_has "(the presets are the same)"

# the default folder: XDG_DATA_HOME, else ~/.local/share; NNTERM_RUNS overrides, "off" turns it off
label="runs with XDG_DATA_HOME"
XDG_DATA_HOME=$T/xdg NNTERM_RUNS= "$NNTERM" runs >"$T/out" 2>"$T/err"; rc=$?
expect_rc 2
label="runs with NNTERM_RUNS unset and an empty XDG folder"
env -u NNTERM_RUNS XDG_DATA_HOME=$T/xdg "$NNTERM" runs >"$T/out" 2>"$T/err"; rc=$?
expect_rc 0
expect_out_has "no runs recorded yet ($T/xdg/nnterm/runs)"
mkdir -p "$T/xdg/nnterm/runs" && cp "$rec" "$T/xdg/nnterm/runs/"
env -u NNTERM_RUNS XDG_DATA_HOME=$T/xdg "$NNTERM" runs >"$T/out" 2>"$T/err"; rc=$?
expect_out_has "Iris (seed configuration)"
env -u NNTERM_RUNS -u XDG_DATA_HOME HOME=$T/home "$NNTERM" runs >"$T/out" 2>"$T/err"; rc=$?
expect_out_has "no runs recorded yet ($T/home/.local/share/nnterm/runs)"
NNTERM_RUNS=off "$NNTERM" runs >"$T/out" 2>"$T/err"; rc=$?
expect_rc 2
expect_err_has "NNTERM_RUNS is off"

# bad input: one line, exit 2
bad "nope.json" verify nope.json
bad "not an nnterm run record" verify m.json
bad "which record?" verify
bad "--tolerance" verify "$rec" --tolerance -1
bad "--record needs a folder" train iris --record
bad "give two or more records" compare
bad "nope.json" compare "$rec" nope.json
# a folder that cannot be made: refused before training, exit 1 (as a --save that would fail)
printf 'x' >file
run train iris --epochs 1 --record file/sub --json
expect_rc 1
expect_err_lines 1
expect_err_has "file/sub: cannot create the folder"
[ ! -s "$T/out" ]
check $? "it trained before refusing the record folder"

finish
