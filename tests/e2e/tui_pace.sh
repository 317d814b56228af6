#!/usr/bin/env bash
# The pace and training that goes on, under tmux (harness.sh; every key followed by a wait for the
# screen it causes): xor opens at its rule's pace (60 epochs: 5/s) shown in the status bar; > and <
# step it (1 2 5 .. 200, max); a paced run draws every epoch; after DONE, Space trains on for another
# 60 epochs and the x axis goes to 120 with a marker; the optimizer switched after DONE applies with
# no reset, "fresh state" on the chart; epochs typed as inf train until paused.
# Usage: tui_pace.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=pace E2E_NAME=pace
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
cd "$TMP"
t new-session -d -s "$S" -x 160 -y 40 -e LANG=C.UTF-8 "cd $TMP && $APP xor 2>$TMP/err; echo \$? >$TMP/rc"

wait_for 'READY +Epoch 0/60  pace 5/s'
step "xor opens at 5 epochs/s (60 epochs in 12 s), shown in the status bar"

# slowest, then each epoch shows in turn: the counter passes through 1, 2 and 3
keys '<' '<'; wait_for 'pace 1/s'
keys Space; wait_for 'RUNNING'
for e in 1 2 3; do wait_for "RUNNING +Epoch $e/60 "; done
step "at 1/s every epoch is drawn (1, 2, 3 in turn)"

keys '>'; wait_for 'pace 2/s'; keys '>' '>' '>'; wait_for 'pace 20/s'
keys '>' '>' '>' '>'; wait_for 'pace max'; keys '>'; wait_for 'pace max'
keys ','; wait_for 'pace 200/s'; keys .; wait_for 'pace max'
step "> and < (. and ,) step the pace 1 2 5 .. 200, max"

wait_for 'DONE +Epoch 60/60'
keys Space; wait_for 'training on for 60 more epochs'
wait_for 'continued for 60 more epochs'; wait_for 'DONE +Epoch 120/120'
wait_for '│ +1 +epoch +120│'   # the x axis of the Loss chart
step "after DONE, Space trains on to epoch 120; the x axis and a marker follow"

keys 3 g j Right
wait_for 'optimizer adam -> adamw \(fresh state, lr 0\.001\)'
wait_for '▲ optimizer adam -> adamw \(fresh state'
shows 'DONE +Epoch 120/120' || fail "the optimizer switch reset the run"
! shows 'resets training' || fail "the optimizer switch asked to reset"
step "the optimizer switched after DONE: no reset, the marker says fresh state"

keys G k k k k k k k k Enter; wait_for 'ok: Enter applies'
keys C-u; keys -l inf; wait_for 'ok: Enter applies'; keys Enter
wait_for 'Space trains on until paused'; wait_for 'PAUSED +Epoch 120/∞'
keys Space; wait_for 'RUNNING +Epoch [0-9]+/∞'
keys Space; wait_for 'PAUSED +Epoch (?!120/)[0-9]+/∞'
step "epochs typed as inf: the run trains on until paused"

keys Space; wait_for 'RUNNING'; keys q; wait_for 'Quit nnterm\?'; keys y; wait_rc
[ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"
echo "all passed (pace)"
