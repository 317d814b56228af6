#!/usr/bin/env bash
# docs/classroom.md, step by step under tmux at 100x30: the keys of each row of the script and the
# text the class should see after them (XOR with and without its hidden layer, spiral deep and
# shallow, lesson-learning-rate, lesson-overfitting with l2, the optimizer race, lesson-features).
# Usage: classroom.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=class E2E_NAME=classroom
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
cd "$TMP"
t new-session -d -s "$S" -x 100 -y 30 -e LANG=C.UTF-8 "cd $TMP && $APP --pace max xor 2>$TMP/err; echo \$? >$TMP/rc"
# pick N NAME: l, the Nth built-in preset (Down N times), Enter, y to the question when a run is lost
pick() {
  keys l; wait_for 'Presets'
  for _ in $(seq "$1"); do keys Down; done
  keys Enter; wait_for 'Open .*\? The current training is discarded|opened'
  shows 'Open .*\?' && keys y
  wait_gone 'Presets'; wait_for "$2 ─╮\$"; wait_for 'READY'
}
acc() { keys 5; wait_for "5 Confusion"; wait_for "$1"; }

# minutes 0-10: XOR
wait_for 'Why one straight line is not enough'; wait_for 'XOR ─╮$'
[ "$(t display -p -t "$S" '#{pane_title}')" = "nnterm: XOR" ] || fail "title"
keys 6; wait_for '6 Boundary'
keys Space; wait_for 'DONE'; wait_for 'Epoch 60/60'
acc 'accuracy 96\.2%'
keys 2 Home d; wait_for 'The current training is discarded|resets'; keys y
wait_for '2-2\b|input 2 features'; wait_for 'READY'
keys Space; wait_for 'DONE'; acc 'accuracy 46\.2%'
keys 2 Home a; wait_for 'resets|discarded'; keys y; wait_for 'READY'
keys Space; wait_for 'DONE'; acc 'accuracy 96\.2%'
step "xor: 96.2%; without the hidden layer 46.2%; with 16 ReLUs 96.2% again"

# minutes 10-18: spiral
pick 11 'Spiral \(hard\)'
keys 6 Space; wait_for 'DONE'; wait_for 'Epoch 300/300'; acc 'accuracy 99\.2%'
keys 2 Home d; wait_for 'resets|discarded'; keys y; wait_for 'READY'
keys d; wait_for 'READY'; wait_for '│2 3\* +softmax'
keys Space; wait_for 'DONE'; acc 'accuracy 63\.3%'
step "spiral: 99.2% deep (2-32-32-32-3), 63.3% with one hidden layer"

# minutes 18-27: lesson-learning-rate
pick 6 'a learning rate that is too high'
wait_for 'i Lesson'; wait_for 'steps of size 10'
keys Space; wait_for 'DONE'; acc 'accuracy 66\.2%'
for lr in 5 2.5 1.25 0.625 0.3125; do keys -; wait_for "learning rate $lr"; done
keys r; wait_for 'READY'; keys Space; wait_for 'DONE'; acc 'accuracy 98\.8%'
keys 2 a; wait_for 'model\.layers is locked by this lesson'
step "lesson-learning-rate: 66.2% at lr 10; 98.8% at 0.3125 after five halvings; the model is locked"

# minutes 27-37: lesson-overfitting
pick 7 'Lesson: overfitting and regularisation'
keys Space; wait_for 'DONE'; wait_for 'Epoch 300/300'; wait_for '━ val 2\.61'
keys P; wait_for 'pinned as 1'
keys 3 g; for _ in $(seq 11); do keys j; done
keys Right Right; wait_for '│ regularization +(◂ )?l2'
keys j Enter C-u 0.05 Enter; wait_for '│   lambda +0\.05'
keys r; wait_for 'READY'; keys Space; wait_for 'DONE'; wait_for '1 no regularization, lambda 0'; wait_for '━ val 0\.58'
keys c; wait_for 'c Compare'; wait_for '1 no regularization.* 2\.614 '; wait_for '\* now.* 0\.581 '
keys e; wait_for 'report written to lesson-overfitting-report/'
grep -q 'stroke:rgb(0%,61.960784%,45.098039%)' "$TMP/lesson-overfitting-report/loss.svg" ||
  fail "the report's loss.svg lacks pin 1's curve"
[ -s "$TMP/lesson-overfitting-report/report.pdf" ] || fail "no report.pdf"
step "lesson-overfitting: val loss 2.61 at the end; pinned (P), with l2 with lambda 0.05 trained again next to it;"
step "the Compare view (c) lists both; e writes the handout with both runs' curves"

# minutes 37-45: the race
pick 13 'XOR'
keys 0; wait_for 'Optimizer race: Enter'; keys Enter
wait_for 'adadelta'; keys Space; wait_for 'DONE' 60000
wait_for '\*best'
keys 0 Enter; wait_for 'race ended'; wait_for 'READY'
step "the race: eight optimizers, *best marked"

# if there is time: lesson-features on the Neurons view
pick 5 'Lesson: input features and what each neuron sees'
wait_for 'n Neurons'; wait_for 'layer 1 +outputs'
keys Space; wait_for 'DONE'; acc 'accuracy 44\.2%'
keys 1 g; for _ in $(seq 8); do keys j; done
for _ in $(seq 5); do keys Right; done; wait_for '◂ sin\(x1\) ▸ off'
keys Enter; wait_for 'resets|discarded'; keys y; wait_for 'READY'; wait_for 'Architecture  3-8-3|input 3 features'
keys Right; wait_for '◂ sin\(x2\) ▸ off'; keys Enter; wait_for 'Architecture  4-8-3|input 4 features'; wait_for '◂ sin\(x2\) ▸ on'
keys Space; wait_for 'DONE'; acc 'accuracy 41\.7%'
keys 1; wait_for '◂ sin\(x2\) ▸ on'
keys Left Left Left; wait_for '◂ x2² ▸ off'; keys Enter; wait_for 'resets|discarded'; keys y; wait_for 'READY'
wait_for 'Architecture  5-8-3|input 5 features'
keys Left; wait_for '◂ x1² ▸ off'; keys Enter; wait_for '◂ x1² ▸ on'; wait_for 'Architecture  6-8-3|input 6 features'
keys Space; wait_for 'DONE'; acc 'accuracy 95\.0%'
step "lesson-features: 44.2% on x1, x2; 41.7% with the sines; 95.0% with the squares as well"
keys q; wait_rc; [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"
echo "all passed"
