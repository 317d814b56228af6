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
# the boundary's cells with their colours: rows 17..37 of the pane (the plot in the lower right)
picture() { t capture-pane -p -e -t "$S" -S 17 -E 37; }
open() {   # open ARGS...: a fresh app in a 120x40 pane
  t kill-session -t "$S" 2>/dev/null || true; rm -f "$TMP/rc"
  t new-session -d -s "$S" -x 120 -y 40 -e LANG=C.UTF-8 "cd $TMP && $APP --pace max $* 2>$TMP/err; echo \$? >$TMP/rc"
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

# ---- the Neurons view: a click on the "n Neur" tab (columns 60-66 of row 15) ----
click 61 15
wait_for 'n Neurons'; wait_for 'epoch 5  hidden .* negative .* positive; outputs'
wait_for 'layer 1 .*units 0-19 of 32 .*PgDn'; wait_for 'layer 1 unit 0 \(relu\)'
wait_for 'in x[12] [-+][0-9.]+  x[12] [-+][0-9.]+'; wait_for '\x{25B6}\x{2580}'
shows '\e\[[0-9;]*48;5;' -e || fail "no 256-colour backgrounds in the unit maps"
step "n Neur shows a page of layer 1's maps with unit 0 in detail"
keys Down Down; wait_for 'layer 1 unit 2 \(relu\)'
keys Right; wait_for 'layer 2 unit 2 \(relu\)'; wait_for 'layer 2 .*units 0-19 of 32'
keys NPage; wait_for 'layer 2 unit 22 \(relu\)'; wait_for 'layer 2 .*units 20-31 of 32'
keys End; wait_for 'layer 2 unit 31 \(relu\)'; wait_for 'layer 2 .*units 20-31 of 32'
keys Right Right; wait_for 'output 2: .* \(softmax\)'; wait_for '^.{39}outputs'
keys Left Left Left; wait_for 'layer 1 unit 2 \(relu\)'
# a click on the map in sub-column 1, row 1 (columns 49-56, rows 23-26): unit 1 * 4 + 1 = 5
click 50 24; wait_for 'layer 1 unit 5 \(relu\)'
keys Enter; wait_for 'Enter: every unit'; wait_for 'incoming weights'; wait_gone 'layer 1 .*units 0-19'
keys Enter; wait_for 'layer 1 .*units 0-19 of 32'
keys s; wait_for 'Epoch 6/300'; wait_for 'epoch 6  hidden'
step "arrows, PgDn, End move through layers and pages; a click picks unit 5; Enter shows it alone; maps follow training"

# a click (X10 mouse report) on the "7 Net" tab of the slot's title: columns 67-72 of row 15
keys 6; wait_for '6 Boundary'
click 68 15
wait_for '7 Network'; wait_for 'negative .* positive'; wait_for '>1 2\x{2192}32'
wait_for 'layer 1 neuron 0 \(relu, 2 inputs\)  bias [-+][0-9.]+'; wait_for 'active on [0-9]+% of rows'
keys Right Right Down; wait_for 'layer 2 neuron 2 \(relu, 32 inputs\)'; wait_for '>2 32\x{2192}32'
# a click on layer 1's heatmap (row 18; X10 reports reach column 94 only): three 32-neuron layers
# squeezed to 23 columns each from column 39, so column 49 is neuron 10 * 32 / 23 = 13 of layer 1
click 49 18
wait_for 'layer 1 neuron 13 \(relu, 2 inputs\)'; wait_for '>1 2\x{2192}32'
step "a click on the 7 Net tab shows the weights; arrows select layer 2 neuron 2, a click layer 1 neuron 13"
keys Enter; wait_for 'Enter: heatmaps'; wait_for '^.{39}x1 \x{25CF}'; wait_for '^.{39}x2 \x{25CF}'
wait_for '\x{25C9}'; wait_for '\+25'; wait_for '\x{25CF} 2 *\x{2502}$'
shows '\e\[38;5;(214|172|130|94|39|32|25|18)m[\x{2801}-\x{28FF}]' -e || fail "no coloured edges in the diagram"
keys Down; wait_for '\x{25C9}'; keys Enter; wait_for '>2 32\x{2192}32'; wait_for 'layer 2 neuron 13 \(relu, 32 inputs\)'
step "Enter switches the Network view to a diagram: labelled inputs, summarised layers, coloured edges"

keys 8; wait_for '8 Health'; wait_for 'batch [0-9]+ of epoch 6'; wait_for '4 out +softmax'
wait_for 'healthy: no warnings|^.{38}! '; wait_for 'gradient norm per layer over epochs \(log scale\), epochs 1-6'
wait_for '[\x{2581}-\x{2588}]{5}'
step "8 shows per-layer health, warnings and sparklines over 6 epochs"

keys 9; wait_for 'Step-through: Enter picks'; keys Enter
wait_for 'sample 0 \(row [0-9]+\) .* after epoch 6, batch 0'; wait_for '\x{2202}L/\x{2202}W1\[0\]\[0\] = x\[0\]'
wait_for 'adam step [0-9]+, lr 0.005'; wait_for 'm\x{0302} = m/'
keys ']' ; wait_for 'sample 1 \(row'
keys S; wait_for 'after epoch 6, batch 1'
step "9 traces a sample; ] picks the next; S steps a batch and the numbers follow"

keys + ; wait_for 'learning rate 0.01'
keys s; wait_for 'Epoch 7/300'; wait_for '\x{25B2} lr 0.005 -> 0.01 \(epoch 7, batch 1\)'
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
# iris opens on the pair with the largest Fisher ratio on the training split: the petals
wait_for 'READY'; keys 6; wait_for 'x petal_length, y petal_width; 2 other features at their mean'
wait_for '\x{2580}'; wait_for 'petal_length'
keys Right; wait_for 'x sepal_length, y petal_width'; wait_for ' sepal_length '
keys Up; wait_for 'x sepal_length, y sepal_width'      # Up: the next feature, as Right is for x
keys Down; wait_for 'x sepal_length, y petal_width'    # Down: the previous one, as Left
keys Right Right; wait_for 'x petal_length, y petal_width'   # two keys at once: the second goes on from the first
step "iris (4 features): opens on the petals; Right/Up the next feature, Left/Down the previous"
# the Confusion view: a cell selected by the arrows lists its rows; the Boundary marks them
keys s; wait_for 'Epoch 1/20'; keys s; wait_for 'Epoch 2/20'
keys 5; wait_for 'test split after epoch 2'
wait_for 'F1  P +R +F1'; wait_for '^.{39}versicolor +[0-9.]+ +[0-9.]+ +[0-9.]+  [\x{2581}-\x{2588}]{2}  [\x{2581}-\x{2588}]{2}'
step "5: per-class precision, recall and F1 over the epochs as sparklines"
keys Down
wait_for 'actual [a-z]+, predicted [a-z]+: [0-9]+ test rows?'
wait_for '^.{39}   row sepal_len sepal_wid petal_len petal_wid'
keys 6; wait_for '\x{25C6} [0-9]+ test rows?: actual'
step "5, Down: the commonest mistake's rows (row numbers, values in cm); 6 marks them"
# a click (X10 report) on the matrix (a cell is selected: the cells keep their 4 rows by 23 columns, the
# rows listed under them): virginica's rows (27..30), versicolor's columns (73..95). (Not row 26: its
# X10 byte is ';', which ends a tmux command.)
keys 5; wait_for 'test split after epoch 2'
click 80 28; wait_for 'actual virginica, predicted versicolor: [0-9]+ test rows?'
keys Enter; wait_gone 'actual virginica, predicted'
step "a click on a cell selects it; Enter lets go"
quit

# ---- moons: inputs toggled in the Dataset panel, hard regions, new data (issue 14) ----
open moons
wait_for 'READY'; keys 1; wait_for 'inputs +x1 x2'
for _ in 1 2 3 4 5 6 7 8; do keys Down; done; wait_for 'inputs +\x{25C2} x1 \x{25B8} on'
keys Right Right; wait_for 'inputs +\x{25C2} x1\x{00B2} \x{25B8} off'
keys Enter; wait_for 'Inputs now: x1 x2 x1\x{00B2}'; wait_for 'input 3 features, 370 params'
keys 6; wait_for "x x1, y x2; the network's 3 inputs are computed from them"
step "the inputs line turns x1^2 on: a 3-input network, the Boundary still over x1, x2"
keys d; wait_for 'hard regions \(d\)'; wait_for 'Boundary: hard class regions'
keys d; wait_gone 'hard regions \(d\)'
step "d switches the Boundary between hard regions and confidence shading"
keys s; wait_for 'Epoch 1/80'
keys N; wait_for 'data seed auto -> 6 from epoch 2'; wait_for 'data seed auto -> 6 \(after epoch 1\)'
keys 1; wait_for 'data seed +6'
step "N draws new data from the next data seed during a run: the weights stay, the Loss chart marks it"
quit
# ---- image data: the Samples view (skipped without dataset-fashion-mnist) ----
if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  open fashion-mnist
  wait_for 'READY' 60000; keys p; wait_for 'p Samples'
  wait_for 'epoch 0  [0-9]+ of 48 test pictures right  1-24 of 48 PgDn  Enter: mistakes'
  wait_for '(\x{2713}|\x{2717})(T-shirt|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle)'
  shows '\e\[38;5;2(3[2-9]|4[0-9]|5[0-5])m' -e || fail "no grey levels in the pictures"
  keys NPage; wait_for '25-48 of 48'
  keys Enter; wait_for 'mistakes 1-'; wait_for 'Enter: all'; ! shows '\x{2713}' || fail "a right answer among the mistakes"
  keys Enter; wait_for '1-24 of 48'
  step "p shows the test pictures with true and predicted classes; PgDn pages, Enter the mistakes only"
  keys 7; wait_for '7 Network'; wait_for 'unit 0 as 28x28'; keys Right; wait_for 'unit 4 as 28x28'
  keys Down; wait_gone 'as 28x28'; keys Up; wait_for 'unit 4 as 28x28'
  step "7 draws the selected first-layer unit's weights as a 28x28 picture"
  quit
else
  step "# SKIP the Samples view: dataset-fashion-mnist is not installed"
fi
# ---- ASCII and 8 colours (LANG=C, TERM=xterm): the views keep to ASCII ----
t kill-session -t "$S" 2>/dev/null || true; rm -f "$TMP/rc"
t new-session -d -s "$S" -x 120 -y 40 "cd $TMP && env LANG=C LC_ALL=C TERM=xterm $APP --pace max spiral 2>$TMP/err; echo \$? >$TMP/rc"
wait_for 'READY'; wait_for 'Depth for a twisted boundary'; keys 6; wait_for 'o train x test'; keys s; wait_for 'Epoch 1/300'; wait_for 'epoch 1 o train'
shows '\e\[[0-9;]*4[0-7]m' -e -S 17 -E 37 || fail "no 8-colour backgrounds in the boundary"
ascii_only() { ! shows '[^\x00-\x7F]' || fail "non-ASCII glyphs in the ASCII mode ($1)"; }
ascii_only boundary
keys 7; wait_for '# negative  # positive'; wait_for '>1 2>32'; ascii_only network
keys Enter; wait_for 'Enter: heatmaps'; wait_for 'x1 o'; ascii_only diagram; keys Enter; wait_for '>1 2>32'
keys n; wait_for 'n Neurons'; wait_for 'layer 1 .*units 0-'; wait_for '>'; ascii_only neurons
keys 8; wait_for 'layer  act +\|grad W\|'; ascii_only health
keys 9 Enter; wait_for 'dL/dW1\[0\]\[0\] = x\[0\] \* d1\[0\]'; wait_for 'm\^ = m/\(1-b1\^t\)'; ascii_only step
step "ASCII and 8 colours: boundary, network and its diagram, neurons, health and step in plain ASCII"
quit
echo "$N passed, 0 failed"
