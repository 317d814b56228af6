#!/usr/bin/env bash
# End-to-end test of the layout from 200 columns (issue 14): two views side by side under the Loss
# chart, the second the pair of the first (Boundary and Neurons for 2-D data, Confusion and Samples
# for images), a click in the second gives it the focus and lands in its view, v there changes it and
# its keys go to it, the first keeps its own keys; below 200 columns one view again.
# Clicks at columns past 94 need SGR mouse reports (X10's stop there): the app runs under a private
# terminfo entry, tmux-256color with kmous=\E[< (ncurses then asks for and reads SGR reports).
# Usage: tui_layout.sh NNTERM    exit 77 (skipped) without tmux or tic.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=e2e E2E_WAIT_MS=20000
. "$(dirname "$0")/harness.sh"
command -v tic >/dev/null || { echo "tic not found: skipped"; exit 77; }
printf 'tmux-sgr|tmux-256color with SGR mouse reports,\n\tkmous=\\E[<, XM=\\E[?1006;1000%%?%%p1%%{1}%%=%%th%%el%%;,\n\tuse=tmux-256color,\n' >"$TMP/sgr.src"
tic -x -o "$TMP/ti" "$TMP/sgr.src"
# a click at column x, row y (0-based): the SGR press and release
click() { keys -l $'\e[<0;'"$(($1 + 1));$(($2 + 1))M"$'\e[<0;'"$(($1 + 1));$(($2 + 1))m"; }
N=0; step() { N=$((N + 1)); echo "ok $N - $*"; }
# the titles on the views' top row (row R of the pane)
row() { t capture-pane -p -t "$S" -S "$1" -E "$1"; }
open() {   # open W H ARGS...: a fresh app in a W x H pane
  local w=$1 h=$2; shift 2
  t kill-session -t "$S" 2>/dev/null || true; rm -f "$TMP/rc"
  # (TERM in the command: tmux sets the pane's own from default-terminal)
  t new-session -d -s "$S" -x "$w" -y "$h" -e LANG=C.UTF-8 \
    "cd $TMP && env TERMINFO=$TMP/ti TERM=tmux-sgr $APP --pace max $* 2>$TMP/err; echo \$? >$TMP/rc"
}
quit() { keys q; local d=$(( $(now) + 15000 * E2E_SCALE )); until [ -s "$TMP/rc" ]; do
  shows 'Quit nnterm\?' && keys y; (( $(now) < d )) || fail "app did not exit"; sleep 0.02; done
  [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"; }

# ---- moons at 220x60: Boundary and Neurons side by side (the views' row: 22) ----
open 220 60 moons
wait_for 'READY'; wait_for '6 Boundary .*\x{256E}\x{256D} n Neurons'
[[ "$(row 22)" =~ ^.{56}'╭ 6 Boundary ─ 5 Conf'.*'╮╭ n Neurons ─'.*'╮'$ ]] || fail "the two views' titles: $(row 22)"
keys s; wait_for 'Epoch 1/80'; wait_for 'epoch 1 .* train'; wait_for 'epoch 1  inputs, hidden'
step "220x60: Boundary (6) at column 56, Neurons (n) beside it at column 138, both drawn"
# a click on the second unit's map of layer 1 (the second slot: columns 138..219; maps from row 25,
# layer 1's from column 145, after the inputs' column)
click 147 30; wait_for "n Neurons \x{2500}+ v V: this slot's view"; wait_for 'layer 1 unit 1 \(tanh\)'
step "a click on a map of the second view focuses it and selects that unit"
keys v; wait_for '\x{256D} 7 Network'; wait_for 'negative .* positive  rows: inputs'
[[ "$(row 22)" =~ '╭ 6 Boundary ─' ]] || fail "v in the second view changed the first: $(row 22)"
keys Enter; wait_for 'Enter: heatmaps'
keys V; wait_for '\x{256D} n Neurons'
step "v and V change the second view (Network, then Neurons back), Enter goes to it (the diagram)"
# a click on the Boundary (first slot) gives it the keys: d is the Boundary's
click 100 40; wait_gone "v V: this slot's view"
keys d; wait_for 'Boundary: hard class regions'
keys 5; wait_for '\x{256D} 5 Confusion'; wait_for 'test split after epoch 1'; wait_for '\x{256D} n Neurons'
step "a click on the first view gives it the keys (d: hard regions); 5 shows Confusion, the chosen Neurons stays beside"
# Tab walks through both slots
keys 4; keys Tab; keys Tab; wait_for "n Neurons \x{2500}+ v V: this slot's view"
keys Tab; wait_gone "v V: this slot's view"
step "Tab goes from the Loss chart to the first view, the second, then the left column"
# narrower than 200 columns: one view, as before
t resize-window -t "$S" -x 199 -y 50; wait_for '\x{256D} 5 Confusion \x{2500} 5|\x{256D} 5 Confusion'
sleep 0.3; ! shows '\x{256D} n Neurons' || fail "a second view at 199 columns"
t resize-window -t "$S" -x 200 -y 50; wait_for '\x{256D} n Neurons'
step "199 columns: one view; 200: two again"
quit

# ---- image data: Confusion and Samples (skipped without dataset-fashion-mnist) ----
if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  open 220 60 fashion-mnist
  wait_for 'READY' 60000; wait_for '\x{256D} 5 Confusion'; wait_for '\x{256D} p Samples'
  wait_for 'epoch 0  [0-9]+ of 48 test pictures right'
  step "fashion-mnist at 220x60: Confusion and Samples side by side"
  quit
else
  step "# SKIP image data: dataset-fashion-mnist is not installed"
fi
