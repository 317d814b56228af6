#!/usr/bin/env bash
# End-to-end test under tmux (issue 13, "the experiment on screen"): the preset's name on the top
# border at 80x24, 120x40 and 220x60 and in --big, and in the terminal's title; `nnterm MODEL.json`
# opens the model with its trained weights, `l` lists a model file as a model, `nnterm DATA.csv`
# opens the trainer on the CSV; the name edited in the Dataset panel; `w` of a changed experiment
# asks for its name and description (with what changed) before the file name, and writes them.
# Usage: tui_experiment.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=exp E2E_NAME=experiment
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
cd "$TMP"
top() { t capture-pane -p -t "$S" | head -1; }
open() {   # open W H ARGS...: the app in a fresh session of that size
  local w=$1 h=$2; shift 2
  t kill-session -t "$S" 2>/dev/null || true
  rm -f "$TMP/rc"
  t new-session -d -s "$S" -x "$w" -y "$h" -e LANG=C.UTF-8 "cd $TMP && $APP --pace max $* 2>$TMP/err; echo \$? >$TMP/rc"
}
quit() { keys q; wait_rc; [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"; }

# a. the name at every size: the top border (the rightmost run of border), and the terminal's title
for size in "80 24" "120 40" "220 60"; do
  open $size spiral
  wait_for 'READY'
  wait_for '^.*Spiral \(hard\) ─╮$'
  [ "$(t display -p -t "$S" '#{pane_title}')" = "nnterm: Spiral (hard)" ] || fail "title: $(t display -p -t "$S" '#{pane_title}')"
  quit
done
open 80 24 --big xor; wait_for 'READY'; wait_for '^╭ i Lesson .* XOR ─╮$'; quit
open 80 24 --ascii lesson-overfitting; wait_for 'READY'; wait_for '^.*Lesson: overfitting.* -\+$'; quit
step "the preset's name on the top border at 80x24, 120x40, 220x60, --big and --ascii, and in the title"

# b. a saved model opens with its trained weights; the picker lists it as a model; a CSV opens
"$APP" train xor --quiet --save "$TMP/xor-model.json" >/dev/null || fail "train xor --save failed"
# without its run state (an older file; one with it resumes where it stopped: tui_resume.sh)
/usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); del m["state"]; json.dump(m, open(sys.argv[1],"w"))' "$TMP/xor-model.json"
acc=$("$APP" train xor-model.json --epochs 0 --json | grep -oP '"accuracy":\K[0-9.]+' | tail -1)
pct=$(awk -v a="$acc" 'BEGIN { printf "%.1f", 100 * a }')
open 100 30 xor-model.json
wait_for 'READY'; wait_for 'Epoch 0/60'
wait_for "xor-model\\.json: trained weights, fresh optimizer; test accuracy $pct%"
keys 5; wait_for "5 Confusion"; wait_for "accuracy $pct%|$pct%"
keys l; wait_for 'Presets'; wait_for '\./xor-model\.json \(model, trained weights\): XOR'
keys Escape; wait_gone 'Presets'
quit
step "nnterm MODEL.json opens its trained weights (test accuracy $pct%, as train --epochs 0 reports); l lists it as a model"
{ echo 'a,b,label'; for i in $(seq 1 60); do echo "$((i % 7)),$((i % 5)),$((i % 2))"; done; } >"$TMP/d.csv"
open 100 30 d.csv
wait_for 'READY'; wait_for 'Epoch 0/'; wait_for 'd\.csv ─╮$'
quit
step "nnterm DATA.csv opens the trainer on the CSV"

# c. the name edited in the Dataset panel; w of a changed experiment asks for name and description
open 100 30 xor
wait_for 'READY'
keys 1; wait_for '│ name +XOR'
keys Enter; keys C-u "Bent XOR" Enter
wait_for '│ name +Bent XOR'; wait_for 'Bent XOR ─╮$'
d=$(( $(now) + 5000 )); until [ "$(t display -p -t "$S" '#{pane_title}')" = "nnterm: Bent XOR" ]; do
  (( $(now) < d )) || fail "title not updated"; sleep 0.02; done
keys w; wait_for 'Save preset ─'; wait_for 'file name'   # only the name changed: no questions
keys Escape; wait_gone 'Save preset'
keys +; wait_for 'Bent XOR \(changed\) ─╮$'
keys w; wait_for 'Save preset \(1/3\)'; wait_for 'lr 0\.01 -> 0\.02'; wait_for 'its name'
keys C-u "Faster XOR" Enter; wait_for 'Save preset \(2/3\)'; wait_for 'its description'
keys C-u "XOR at twice the learning rate" Enter; wait_for 'Save preset \(3/3\)'; wait_for 'file name'
keys C-u "fast.json" Enter; wait_for 'saved the preset to fast\.json'
grep -q '"name": "Faster XOR"' fast.json || fail "name not written"
grep -q '"description": "XOR at twice the learning rate"' fast.json || fail "description not written"
grep -q '"learning_rate": 0.02' fast.json || fail "lr not written"
wait_for 'Faster XOR ─╮$'
keys w; wait_for 'Save preset ─'; keys Escape; wait_gone 'Save preset'   # written: unchanged again
quit
step "name edited in the trainer; w of a changed experiment asks for name and description, writes them"
echo "all passed"
