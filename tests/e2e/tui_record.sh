#!/usr/bin/env bash
# The trainer records its runs (issue 15) into NNTERM_RUNS, under tmux (harness.sh): xor at --pace max,
# one epoch (s), lr x2 (+), one batch (S), lr x2 again (+, mid-epoch), then Space to DONE: one record
# with both live changes at their epoch and batch, which `nnterm verify` makes again and accepts.
# Reset (r) and a run to DONE: a second record, from the preset with the changes. Space after DONE
# trains on to 120: a third record, of epochs 61..120 only, verified too. Reset twice: no record of
# 0 epochs. A reseed (R), one epoch (s) and quit: a fourth, interrupted, from the new seed. A runs folder that cannot be made: one
# message naming it, and the trainer goes on.
# Usage: tui_record.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=record E2E_NAME=record
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
cd "$TMP"
RUNS=$TMP/runs
t new-session -d -s "$S" -x 160 -y 40 -e LANG=C.UTF-8 -e NNTERM_RUNS="$RUNS" \
    "cd $TMP && $APP xor --pace max 2>$TMP/err; echo \$? >$TMP/rc"
wait_for 'READY +Epoch 0/60'
keys s; wait_for 'PAUSED +Epoch 1/60'
keys +; wait_for 'lr 0\.01 -> 0\.02'
keys S; wait_for 'PAUSED +Epoch 1/60 .*batch 1/18'
keys +; wait_for 'lr 0\.02 -> 0\.04'
keys Space; wait_for 'DONE +Epoch 60/60'
n=$(ls "$RUNS" | wc -l)
[ "$n" = 1 ] || fail "after the first run: $n records in $RUNS, not 1"
rec1=$(ls "$RUNS"/*.json)
/usr/bin/python3 - "$rec1" <<'PY' || fail "the first record's live changes: $(cat "$rec1")"
import json, sys
r = json.load(open(sys.argv[1]))
live = r["live_changes"]
assert [(c["epoch"], c["batch"], c["what"]) for c in live] == [(1, 0, "lr 0.01 -> 0.02"), (1, 1, "lr 0.02 -> 0.04")], live
assert [e["epoch"] for e in r["epochs"]] == list(range(1, 61))
assert r["preset"]["training"]["optimizer"]["learning_rate"] == 0.01
assert r["final"]["epochs"] == 60
PY
"$APP" verify "$rec1" >"$TMP/v1" 2>&1 || fail "verify of the first record: $(cat "$TMP/v1")"
grep -q "the run had 2 live changes" "$TMP/v1" || fail "verify does not say it makes the live changes: $(cat "$TMP/v1")"
grep -q "^VERIFIED" "$TMP/v1" || fail "not verified: $(cat "$TMP/v1")"
step "a run with two live changes (one mid-epoch) leaves one record that verify replays and accepts"
# its report: the re-run with the changes; loss.svg has their two dashed grey lines and the legend's
"$APP" report "$rec1" --out "$TMP/rep" >"$TMP/r1" 2>&1 || fail "report of the first record: $(cat "$TMP/r1")"
grep -q "the figures agree with the record" "$TMP/r1" || fail "report: $(cat "$TMP/r1")"
grey=$(grep -c 'stroke:rgb(43.137255%,43.137255%,43.137255%);stroke-opacity:1;stroke-dasharray' "$TMP/rep/loss.svg" || true)
[ "$grey" = 3 ] || fail "loss.svg of the record has $grey dashed grey strokes, not 3 (two live changes and the legend)"
step "nnterm report RECORD.json: the run made again with its live changes, marked on the loss curves"

keys r; wait_for 'READY +Epoch 0/60'
keys Space; wait_for 'DONE +Epoch 60/60'
keys Space; wait_for 'RUNNING|DONE +Epoch 120/120'
wait_for 'DONE +Epoch 120/120'
keys r; wait_for 'READY +Epoch 0/60'
keys r; wait_for 'READY +Epoch 0/60'
n=$(ls "$RUNS" | wc -l)
[ "$n" = 3 ] || fail "after reset, a run, a continue and two resets: $n records, not 3: $(ls "$RUNS")"
keys R; wait_for 'new initial weights from seed'
keys s; wait_for 'PAUSED +Epoch 1/60'
keys q; wait_for 'Quit nnterm\?'; keys y; wait_rc
[ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"
n=$(ls "$RUNS" | wc -l)
[ "$n" = 4 ] || fail "after one more epoch and quit: $n records, not 4: $(ls "$RUNS")"
for f in "$RUNS"/*.json; do
    "$APP" verify "$f" >"$TMP/v" 2>&1 || fail "verify $f: $(cat "$TMP/v")"
done
/usr/bin/python3 - "$RUNS" <<'PY' || fail "the records after reset and continue"
import json, os, sys
rs = [json.load(open(os.path.join(sys.argv[1], f))) for f in sorted(os.listdir(sys.argv[1]))]
second = [r for r in rs if len(r["epochs"]) == 60 and r["epochs"][0]["epoch"] == 1 and not r["live_changes"]]
third = [r for r in rs if r["epochs"][0]["epoch"] == 61]
assert len(second) == 1 and second[0]["preset"]["training"]["optimizer"]["learning_rate"] == 0.04, "second"
assert len(third) == 1 and [c.get("continue") for c in third[0]["live_changes"]] == [True], third[0]["live_changes"]
assert [e["epoch"] for e in third[0]["epochs"]] == list(range(61, 121))
last = [r for r in rs if len(r["epochs"]) == 1]
assert len(last) == 1 and last[0]["final"]["stopped"] == "interrupted", "quit"
# after R: the new seed draws the weights, the data keep theirs (42)
assert last[0]["seed"] != "42" and last[0]["preset"]["dataset"]["seed"] == 42, (last[0]["seed"], last[0]["preset"]["dataset"])
PY
step "reset starts a new run from the changed preset; a continue records epochs 61..120; a reset of 0 epochs"
step "leaves no record; quit writes the run under way (1 epoch, interrupted)"

# a folder that cannot be made: one message naming it, the run goes on to DONE
: >"$TMP/file"
rm -f "$TMP/rc"
t new-window -t "$S" -e LANG=C.UTF-8 -e NNTERM_RUNS="$TMP/file/runs" \
    "cd $TMP && $APP xor --pace max 2>$TMP/err; echo \$? >$TMP/rc"
t kill-window -t "$S:0"
wait_for 'READY +Epoch 0/60'
keys Space; wait_for "run record: .*file/runs"
wait_for 'DONE +Epoch 60/60'
keys q; wait_rc
[ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc") with an unwritable runs folder"
step "an unwritable runs folder: one message naming it; the trainer goes on"
echo "all passed (record)"
