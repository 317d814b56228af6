#!/usr/bin/env bash
# End-to-end test under tmux: `m` saves the model at any moment, the initial weights included (right
# after start and after `r`), and those are the weights `nnterm train iris --epochs 0 --save` writes.
# Usage: tui_model0.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=model0 E2E_NAME=model0
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
cd "$TMP"
# the model file from its "task" line on: normalisation, names and every layer's weights
weights() { sed -n '/"task"/,$p' "$1"; }

"$APP" train iris --epochs 0 --quiet --save "$TMP/cli0.json" >/dev/null || fail "train --epochs 0 failed"
t new-session -d -s "$S" -x 100 -y 30 -e LANG=C.UTF-8 "cd $TMP && $APP --pace max 2>$TMP/err; echo \$? >$TMP/rc"
wait_for 'READY'; wait_for 'Epoch 0/20'

save() {   # save PATTERN: m, accept the offered iris-model.json, wait for the notice
  keys m; wait_for 'Save model'; wait_for 'iris-model\.json'; keys Enter; wait_for "model saved to iris-model\\.json $1"
  [ -s "$TMP/iris-model.json" ] || fail "no model file"
}
save '\(the initial weights'
cmp -s <(weights iris-model.json) <(weights cli0.json) || fail "m at start: not the weights of train --epochs 0"
grep -q '"nnterm-model"' iris-model.json || fail "not a model file"
step "m right after start saves the initial weights (those of train --epochs 0)"

keys s; wait_for 'Epoch 1/20'; wait_for 'PAUSED'
save '\(epoch 1\)'
! cmp -s <(weights iris-model.json) <(weights cli0.json) || fail "after an epoch the saved weights did not move"
step "m after one epoch saves the trained weights"

keys r; wait_for 'Epoch 0/20'; wait_for 'READY'
save '\(the initial weights'
cmp -s <(weights iris-model.json) <(weights cli0.json) || fail "m after r: not the initial weights"
step "m after r saves the initial weights again"

keys q; wait_rc; [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"
echo "all passed"
