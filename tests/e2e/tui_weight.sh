#!/usr/bin/env bash
# A weight edited by hand in the Network view, under tmux (harness.sh; every key followed by a wait for
# the screen it causes): xor, two epochs, 7 (Network), ] picks the first neuron's bias, ] its weight
# from x1, Enter opens the editor on its value, 40 Enter sets it: the detail shows +40, the Loss chart
# marks the edit under its axis and draws the new losses as points, its legend's train loss changes and
# the status bar gives the losses before and after; a value that is not a number is refused in the
# editor; Esc drops the pick; a click on the incoming strip picks a weight; ASCII and monochrome too.
# Usage: tui_weight.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=weight E2E_NAME=weight
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
cd "$TMP"
open() {   # open LANG ARGS...: xor at 120x40 in a fresh session
  local lang=$1; shift
  t kill-session -t "$S" 2>/dev/null || true
  rm -f "$TMP/rc"
  t new-session -d -s "$S" -x 120 -y 40 -e LANG="$lang" "cd $TMP && env LANG=$lang LC_ALL=$lang NNTERM_RUNS=${RUNS:-off} $APP --pace max $* xor 2>$TMP/err; echo \$? >$TMP/rc"
}
quit() { keys q; wait_for "Quit nnterm"; keys y; wait_rc; [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"; }
legend_train() { t capture-pane -p -t "$S" | grep -oP '━ train \K[0-9.e+-]+' | head -1; }

open C.UTF-8
wait_for 'READY'
keys 7; wait_for '7 Network'
keys s; wait_for 'PAUSED +Epoch 1/60'
keys s; wait_for 'PAUSED +Epoch 2/60'
before=$(legend_train)
[ -n "$before" ] || fail "no train loss in the legend"
step "xor trained two epochs, the Network view shown (train loss $before)"

keys ']'; wait_for 'Enter: edit b1\[0\]'; wait_for '▶ b1\[0\] bias of 0'
keys ']'; wait_for 'Enter: edit W1\[0\]\[0\]'; wait_for '▶ W1\[0\]\[0\] x1→0'
step "] picks the bias, then the weight from x1, and the header says what Enter does"

keys Enter; wait_for 'Edit a weight'; wait_for 'W1\[0\]\[0\], from x1 into neuron 0, layer 1'
keys C-u abc; wait_for 'not a number'
keys C-u 40; wait_for 'ok: Enter sets it'
keys Enter; wait_gone 'Edit a weight'
wait_for '▶ W1\[0\]\[0\] x1→0  \+40 '
wait_for 'W1\[0\]\[0\] [-0-9.e]+ -> 40: train loss [0-9.e-]+ -> [0-9.e-]+, test acc'
wait_for '▲ W1\[0\]\[0\] [-0-9.e]+ -> 40 \(after epoch 2\)'
wait_for '◆'; wait_for '◆ = after the edit'   # the legend says its figures are the edit's
d=$(( $(now) + 15000 * E2E_SCALE ))
until after=$(legend_train); [ -n "$after" ] && [ "$after" != "$before" ]; do
  (( $(now) < d )) || fail "the legend's train loss stayed $before"; sleep 0.02; done
step "40 typed: the detail shows +40, the Loss chart marks the edit (train loss $before -> $after)"

keys Escape; wait_for 'Enter: diagram'
keys Enter; wait_for 'Enter: heatmaps'
keys ']'; wait_for 'b1\[0\] = '; wait_for 'Enter: edit'
keys Escape; keys Enter; wait_for 'rows: inputs, columns: neurons'
step "Esc drops the pick: Enter switches to the diagram again, where a pick shows in the header"

# a click on the incoming strip: the cell of input 1 (x2), one right of where "incoming " ends (an X10
# mouse report, press and release in one write, as tui_smoke.sh sends them)
click() { local cx cy; cx=$(printf "\\x$(printf %x $((33+$1)))"); cy=$(printf "\\x$(printf %x $((33+$2)))")
          keys -l $'\e[M'" $cx$cy"$'\e[M'"#$cx$cy"; }
wait_for 'incoming '
line=$(t capture-pane -p -t "$S" | grep -n 'incoming ' | head -1)
y=$(( ${line%%:*} - 1 ))
pre=${line#*:}; pre=${pre%%incoming *}
x=$(( $(printf '%s' "$pre" | wc -m) + 9 + 1 ))
click "$x" "$y"
wait_for 'Enter: edit W1\[1\]\[0\]'
step "a click on the strip's second cell picks W1[1][0]"
quit

open C --no-color
wait_for 'READY'
keys 7; wait_for '7 Network'
keys s; wait_for 'PAUSED +Epoch 1/60'
keys ']' ']'; wait_for '> W1\[0\]\[0\] x1->0'
keys Enter; wait_for 'Edit a weight'; keys C-u -7.5 Enter; wait_gone 'Edit a weight'
wait_for '> W1\[0\]\[0\] x1->0  -7\.5 '
wait_for '\^ W1\[0\]\[0\] [-0-9.e]+ -> -7\.5'
step "ASCII and monochrome: the pick, the edit and its marker"
quit

# the run's record holds the edit as a live change, and verify makes it again: the same figures
RUNS=$TMP/runs
open C.UTF-8
wait_for 'READY'
keys 7; wait_for '7 Network'
keys s; wait_for 'PAUSED +Epoch 1/60'
keys ']' ']'; wait_for 'Enter: edit W1\[0\]\[0\]'
keys Enter; wait_for 'Edit a weight'; keys C-u 3.3 Enter; wait_gone 'Edit a weight'
wait_for 'W1\[0\]\[0\] [-0-9.e]+ -> 3\.3: train loss'
keys Space; wait_for 'DONE +Epoch 60/60'
keys q; wait_rc   # after DONE q quits at once (the record was written at DONE)
rec=$(ls "$RUNS"/*.json)
grep -q '"weight":\[0,0,0\],"value":3.29999995' "$rec" || fail "the record lacks the weight edit: $(grep -o '"live_changes".*' "$rec" | head -c 400)"
"$APP" verify "$rec" >"$TMP/v" 2>&1 || fail "verify of a run with a weight edit: $(cat "$TMP/v")"
grep -q '^VERIFIED' "$TMP/v" || fail "not verified: $(cat "$TMP/v")"
step "the run's record holds the edit (W1[0][0] = 3.3 after epoch 1) and verify makes it again: VERIFIED"
