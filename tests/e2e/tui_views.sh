#!/usr/bin/env bash
# End-to-end test of the teaching views under tmux (harness.sh): the spiral preset's boundary
# changes as it trains, the Network, Health and Step views show the trained network, a race of
# every optimizer ends with a legend, a lesson preset shows its text and refuses locked edits,
# --big gives the picture the whole screen, and 4-feature data gets a boundary over two chosen features.
# Usage: tui_views.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=e2e E2E_WAIT_MS=20000
. "$(dirname "$0")/harness.sh"
# a mouse click at column x, row y: an X10 press, then the release (ncurses expects X10 reports under
# tmux-256color; they reach column 94 only), both in one send-keys so that they reach the app
# close together, as a terminal sends them (see tests/e2e/tui_smoke.sh)
click() { local cx cy; cx=$(printf "\\x$(printf %x $((33 + $1)))"); cy=$(printf "\\x$(printf %x $((33 + $2)))")
          keys -l $'\e[M'" $cx$cy"$'\e[M'"#$cx$cy"; }
N=0; step() { N=$((N + 1)); echo "ok $N - $*"; }
# the boundary's cells with their colours: rows 21..36 of the pane (the plot in the lower right)
picture() { t capture-pane -p -e -t "$S" -S 21 -E 36; }
open() {   # open ARGS...: a fresh app in a 120x40 pane
  t kill-session -t "$S" 2>/dev/null || true; rm -f "$TMP/rc"
  t new-session -d -s "$S" -x 120 -y 40 -e LANG=C.UTF-8 "cd $TMP && $APP $* 2>$TMP/err; echo \$? >$TMP/rc"
}
# q quits at once when nothing is under way, and asks first while a run is paused part way
quit() { keys q; local d=$(( $(now) + 15000 * E2E_SCALE )); until [ -s "$TMP/rc" ]; do
  shows 'Quit nnterm\?' && keys y; (( $(now) < d )) || fail "app did not exit"; sleep 0.02; done
  [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"; }

# ---- spiral: the boundary changes as it trains ----
open spiral
wait_for 'READY'; wait_for 'i Lesson'; wait_for 'Depth for a twisted boundary'
step "the spiral preset opens on its lesson"
keys 6; wait_for '6 Boundary'; wait_for 'epoch 0 .* train .* test'
wait_for '\x{2580}'; wait_for '\x{25CF}'          # half blocks and the training points
wait_for 'x1'; wait_for 'x2'
shows '\e\[[0-9;]*48;5;' -e || fail "no 256-colour backgrounds in the boundary"
before=$(picture); [ -n "$before" ] || fail "empty picture"
step "6 shows the boundary: half blocks, points, axes"
for e in 1 2 3 4 5; do keys s; wait_for "Epoch $e/300"; wait_for "epoch $e .* train"; done
d=$(( $(now) + 20000 )); until [ "$(picture)" != "$before" ]; do (( $(now) < d )) || fail "the boundary did not change"; sleep 0.05; done
step "the boundary changes after 5 epochs"

# a click (X10 mouse report) on the "7 Net" tab of the slot's title: columns 60-65 of row 19
click 61 19
wait_for '7 Network'; wait_for 'negative .* positive'; wait_for '>1 2\x{2192}32'
wait_for 'layer 1 neuron 0 \(relu, 2 inputs\)  bias [-+][0-9.]+'; wait_for 'active on [0-9]+% of rows'
keys Right Right Down; wait_for 'layer 2 neuron 2 \(relu, 32 inputs\)'; wait_for '>2 32\x{2192}32'
# a click on layer 1's heatmap (row 22; X10 reports reach column 94 only): three 32-neuron layers
# squeezed to 23 columns each from column 39, so column 49 is neuron 10 * 32 / 23 = 13 of layer 1
click 49 22
wait_for 'layer 1 neuron 13 \(relu, 2 inputs\)'; wait_for '>1 2\x{2192}32'
step "a click on the 7 Net tab shows the weights; arrows select layer 2 neuron 2, a click layer 1 neuron 13"

keys 8; wait_for '8 Health'; wait_for 'batch [0-9]+ of epoch 5'; wait_for '4 out +softmax'
wait_for 'healthy: no warnings|^.{38}! '; wait_for 'gradient norm per layer over epochs \(log scale\), epochs 1-5'
wait_for '[\x{2581}-\x{2588}]{5}'
step "8 shows per-layer health, warnings and sparklines over 5 epochs"

keys 9; wait_for 'Step-through: Enter picks'; keys Enter
wait_for 'sample 0 \(row [0-9]+\) .* after epoch 5, batch 0'; wait_for '\x{2202}L/\x{2202}W1\[0\]\[0\] = x\[0\]'
wait_for 'adam step [0-9]+, lr 0.005'; wait_for 'm\x{0302} = m/'
keys ']' ; wait_for 'sample 1 \(row'
keys S; wait_for 'after epoch 5, batch 1'
step "9 traces a sample; ] picks the next; S steps a batch and the numbers follow"

keys + ; wait_for 'learning rate 0.01'
keys s; wait_for 'Epoch 6/300'; wait_for '\x{25B2} lr 0.005 -> 0.01 \(epoch 6, batch 1\)'
keys r; wait_for 'READY'; wait_for '\x{2501} prev val [0-9.]+'
step "a live lr change is marked on the loss chart; after a reset the old curve is a ghost"

keys s; wait_for 'Epoch 1/300'
keys 0; wait_for 'Optimizer race: Enter'; keys Enter; wait_for 'Race every optimizer'; keys y
wait_for 'adadelta'; keys Space; wait_for 'DONE' 60000
wait_for 'momentum .* final'; wait_for '\*best'; wait_for '[\x{2801}-\x{28FF}]'
keys 6; wait_for 'no boundary during a race'
keys 0 Enter; wait_for 'race ended'; wait_for 'READY'
step "0 races every optimizer from the same weights: legend, curves, best"
quit

# ---- a lesson: text, locked keys ----
open lesson-vanishing
wait_for 'READY'; wait_for 'Vanishing gradients'; wait_for 'locked by the lesson .*seed, dataset, training'
keys + ; wait_for 'training.optimizer.learning_rate is locked by this lesson'
keys R ; wait_for 'seed is locked by this lesson'
keys 3 g Enter; wait_for 'is locked by this lesson'
keys 5; wait_for '5 Confusion'; keys i; wait_for 'Vanishing gradients'
keys PageDown; wait_gone 'This network is deep'
step "a lesson shows its text, scrolls and refuses locked edits"
quit

# ---- projector mode and the 4-feature note ----
open --big spiral
wait_for 'READY'; wait_for 'Depth for a twisted boundary'; keys 6; wait_for '6 Boundary'
! shows '4 Loss' || fail "--big still shows the Loss panel"
! shows '3 Hyperparameters' || fail "--big still shows the left column"
step "--big gives the view the whole screen"
quit
open iris
wait_for 'READY'; keys 6; wait_for 'x sepal_length, y sepal_width; 2 other features at their mean'
wait_for '\x{2580}'; wait_for 'sepal_length'
keys Right; wait_for 'x petal_length, y sepal_width'; wait_for ' petal_length '
keys Up; wait_for 'x petal_length, y petal_width'
keys Right Right; wait_for 'x sepal_width, y petal_width'   # two keys at once: the second goes on from the first
step "iris (4 features): the boundary over two chosen features, the others at their mean"
quit
# ---- ASCII and 8 colours (LANG=C, TERM=xterm): the views keep to ASCII ----
t kill-session -t "$S" 2>/dev/null || true; rm -f "$TMP/rc"
t new-session -d -s "$S" -x 120 -y 40 "cd $TMP && env LANG=C LC_ALL=C TERM=xterm $APP spiral 2>$TMP/err; echo \$? >$TMP/rc"
wait_for 'READY'; wait_for 'Depth for a twisted boundary'; keys 6; wait_for 'o train x test'; keys s; wait_for 'Epoch 1/300'; wait_for 'epoch 1 o train'
shows '\e\[[0-9;]*4[0-7]m' -e -S 21 -E 36 || fail "no 8-colour backgrounds in the boundary"
ascii_only() { ! shows '[^\x00-\x7F]' || fail "non-ASCII glyphs in the ASCII mode ($1)"; }
ascii_only boundary
keys 7; wait_for '# negative  # positive'; wait_for '>1 2>32'; ascii_only network
keys 8; wait_for 'layer  act +\|grad W\|'; ascii_only health
keys 9 Enter; wait_for 'dL/dW1\[0\]\[0\] = x\[0\] \* d1\[0\]'; wait_for 'm\^ = m/\(1-b1\^t\)'; ascii_only step
step "ASCII and 8 colours: boundary, network, health and step in plain ASCII"
quit
echo "$N passed, 0 failed"
