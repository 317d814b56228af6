#!/usr/bin/env bash
# End-to-end test of the trainer under tmux (harness.sh): a private tmux server, the app under a
# wrapper that writes its exit status, and every key followed by a wait for the screen it causes.
# Usage: tui_smoke.sh NNTERM [color|nocolor|ascii]    exit 77 (skipped) without tmux.
#   color: UTF-8, 256 colours; nocolor: NO_COLOR=1 (and Ctrl-C, Ctrl-C to quit); ascii: LANG=C, TERM=xterm
#   (8 colours; and SIGINT from kill to quit: exit status 130).
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1"); MODE=${2:-color}
S=e2e E2E_NAME=$MODE
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }

ENV=(-e LANG=C.UTF-8)
[ "$MODE" = nocolor ] && ENV+=(-e NO_COLOR=1)
cd "$TMP"
PRE=""
[ "$MODE" = ascii ] && PRE="env LANG=C LC_ALL=C TERM=xterm"
t new-session -d -s "$S" -x 100 -y 30 "${ENV[@]}" "cd $TMP && $PRE $APP --pace max 2>$TMP/err; st=\$?; stty -a >$TMP/stty 2>&1; echo \$st >$TMP/rc"

wait_for 'READY'; wait_for 'Epoch 0/20'; wait_for 'Help'
step "opens on the iris preset with no argument"

keys Space; wait_for 'DONE' 30000; wait_for 'Epoch 20/20'
if [ "$MODE" = ascii ]; then wait_for '\|\s*\*'; else wait_for '[\x{2801}-\x{28FF}]'; fi   # the loss curve
wait_for 'Loss'; wait_for 'Confusion'
wait_for 'accuracy [0-9.]+% \([0-9]+/30\)'; wait_for 'setosa +[0-9]+ +[0-9]+ +[0-9]+'
wait_for 'train [0-9.]+ .* val [0-9.]+'
step "Space trains to DONE; chart and matrix drawn"

if [ "$MODE" = nocolor ]; then
  ! shows '\e\[[0-9;]*(38;5;|48;5;|3[0-7]m|4[0-7]m|3[0-7];|4[0-7];)' -e \
    || fail "colour escapes under NO_COLOR"
  step "NO_COLOR: no colour escapes"
elif [ "$MODE" = ascii ]; then
  ! shows '[^\x00-\x7F]' || fail "non-ASCII glyphs in the ASCII mode"
  shows '\e\[[0-9;]*3[0-7]m' -e || fail "no 8-colour output"
  step "ASCII glyphs and 8 colours"
else
  shows '\e\[38;5;' -e || fail "no 256-colour output"
  step "256 colours in use"
fi

keys m; wait_for 'Save model'; wait_for 'iris-model\.json'; keys Enter
wait_for 'model saved to iris-model\.json'; [ -s "$TMP/iris-model.json" ] || fail "no model file"
grep -q '"nnterm-model"' "$TMP/iris-model.json" || fail "the model file is not a model"
step "m saves the trained model"
keys e; wait_for 'report written to iris-report/ \(7 files'
for f in history.csv loss.png confusion.svg network.svg report.pdf; do
    [ -s "$TMP/iris-report/$f" ] || fail "e wrote no iris-report/$f"
done
step "e writes the report of the run into iris-report/"

# a mouse click at column $1, row $2: the press and then the release, as a mouse sends them (X10
# reports, as ncurses expects under tmux-256color; xterm's terminfo asks for SGR 1006 reports)
# (both in one send-keys: one write, as a terminal sends a report whole; ncurses reads the 3 bytes
# after ESC [ M with a blocking read, so a report split across writes could stall it)
click() { if [ "$MODE" = ascii ]; then keys -l $'\e[<0;'"$(($1+1));$(($2+1))M"$'\e[<0;'"$(($1+1));$(($2+1))m"
          else local cx cy; cx=$(printf "\\x$(printf %x $((33+$1)))"); cy=$(printf "\\x$(printf %x $((33+$2)))")
               keys -l $'\e[M'" $cx$cy"$'\e[M'"#$cx$cy"; fi; }
# on the collapsed Dataset line
click 5 0; wait_for '1 Dataset .*4 Loss'; wait_for 'source .*iris'
step "a click selects a panel"

keys '?'; wait_for 'Key bindings'; wait_for 'quit \(asks first'
keys Escape; wait_gone 'Key bindings'
keys F1; wait_for 'Key bindings'; keys q; wait_gone 'Key bindings'
step "help opens and closes (? Esc, F1 q)"

t resize-window -t "$S" -x 50 -y 12; wait_for 'terminal too small \(50x12, need 80x24\)'
t resize-window -t "$S" -x 100 -y 30; wait_for 'DONE'; wait_gone 'too small'
step "too small and back"

# hyperparameter: the learning rate (row 3 of the panel) changes live; the validator speaks as we type
keys 3 g j j; keys Enter; wait_for 'ok: Enter applies'
keys BSpace BSpace BSpace BSpace BSpace BSpace; keys -l 'abc'; wait_gone 'ok: Enter applies'
keys BSpace BSpace BSpace; keys -l '0.05'; wait_for 'ok: Enter applies'
keys Enter; wait_for 'learning rate 0.05 from the next batch'; wait_for 'learning rate +0.05'
step "hyperparameter edit validated as typed and applied"

# epochs (row 10): more epochs after DONE need no reset: PAUSED, and Space trains on
keys g; for _ in $(seq 9); do keys j; done; keys Enter; wait_for 'ok: Enter applies'
keys BSpace BSpace; keys -l '30'; keys Enter; wait_for 'Space trains on to epoch 30'
wait_for 'PAUSED +Epoch 20/30'
keys Space; wait_for 'DONE +Epoch 30/30'
step "epochs edited after DONE without a reset, then trained on"

# a layer: units of the hidden layer (asks: it resets), then add one
keys 2; wait_for 'input 4 features'
keys Enter; keys BSpace BSpace; keys -l '8'; keys Enter; wait_for 'resets training\. Apply it\?'
keys y; wait_for 'READY'; wait_for '67 params'
keys a; wait_for '235 params'
step "layer units edited (after asking) and a layer added"

# a changed experiment: w asks for its name and description first (issue 13), then the file name
keys w; wait_for 'Save preset \(1/3\)'; wait_for 'its name'; keys Enter
wait_for 'Save preset \(2/3\)'; keys Enter
wait_for 'Save preset \(3/3\)'; wait_for 'iris\.json'; keys Enter
wait_for 'saved the preset to iris\.json'; [ -s "$TMP/iris.json" ] || fail "no iris.json written"
grep -q '"units": *8' "$TMP/iris.json" || fail "saved preset lacks the edited layer"
keys 2 d; wait_for '67 params'
keys l; wait_for 'Presets'; wait_for '\./iris\.json'; keys G Enter
wait_for 'opened \./iris\.json'; wait_for '235 params'; wait_for 'Epoch 0/30'
step "preset saved and opened again"

# the picker by mouse: a click on a preset chooses it (its description shows), a second opens it
keys l; wait_for 'Presets'; wait_for 'xor \(built-in\)'
y=$(( $(screen | grep -n 'xor (built-in)' | head -1 | cut -d: -f1) - 1 ))
click 40 "$y"; wait_for 'four quadrants'; wait_for 'Presets'
click 40 "$y"; wait_for 'opened xor'; wait_for 'Epoch 0/60'; wait_gone 'Presets'
keys l; wait_for 'Presets'; keys G Enter; wait_for 'opened \./iris\.json'; wait_for '235 params'
step "a click chooses a preset in the picker, a second click opens it"

# a long run: quit asks while running
keys 3 g; for _ in $(seq 9); do keys j; done; keys Enter; keys BSpace BSpace; keys -l '1000000'; keys Enter
wait_for 'Epoch 0/1000000'
keys Space; wait_for 'RUNNING'
keys q; wait_for 'Training is running; quitting stops it \(not recorded\)\. Quit nnterm\?'; keys n; wait_gone 'Quit nnterm'
wait_for 'RUNNING'
keys Space; wait_for 'PAUSED'; keys Space; wait_for 'RUNNING'
t resize-window -t "$S" -x 70 -y 20; wait_for 'terminal too small \(70x20, need 80x24\)'
t resize-window -t "$S" -x 160 -y 50; wait_for 'RUNNING'; wait_for '1 Dataset.*4 Loss'; wait_for '3 Hyperparameters'
step "resize while training"

# A click's press and its release come in separate reports; a right click too. Neither may stall
# the screen: with no key after them, the epoch counter must go on moving (ncurses once blocked in
# read() after discarding an event outside the mouse mask, freezing the display until a key).
epoch_now() { screen | grep -o 'Epoch [0-9]*/1000000' | head -1; }
if [ "$MODE" = ascii ]; then keys -l $'\e[<0;41;41M'; sleep 0.2; keys -l $'\e[<0;41;41m'; sleep 0.2; keys -l $'\e[<2;41;41M'
else keys -l $'\e[M IK'; sleep 0.2; keys -l $'\e[M#IK'; sleep 0.2; keys -l $'\e[M"IK'; fi
e1=$(epoch_now); d=$(( $(now) + 15000 ))
until [ "$(epoch_now)" != "$e1" ]; do (( $(now) < d )) || fail "the screen froze after a mouse release ($e1)"; sleep 0.05; done
step "the screen goes on updating after a click's release and a right click"
if [ "$MODE" = nocolor ]; then
  # Ctrl-C is a quit key (keys.c): it asks while training, and a second Ctrl-C quits
  keys C-c; wait_for 'Training is running; quitting stops it \(not recorded\)\. Quit nnterm\?'; keys C-c; how="Ctrl-C, Ctrl-C while training"
elif [ "$MODE" = ascii ]; then
  # the signal path: SIGINT from kill (not the keyboard) ends the trainer cleanly at once
  pid=$(pgrep -P "$(t display -p -t "$S" '#{pane_pid}')" | head -1)
  [ -n "$pid" ] || fail "no app process under the pane"
  kill -INT "$pid"; how="SIGINT (kill -INT) while training"; want=130
else
  keys q; wait_for 'Quit nnterm\?'; keys y; how="q, y while training"
fi
wait_rc; [ "$(cat "$TMP/rc")" = "${want:-0}" ] || fail "exit status $(cat "$TMP/rc"), not ${want:-0}"
[ "$(t display -p -t "$S" '#{alternate_on}')" = 0 ] || fail "terminal left in the alternate screen"
grep -q 'intr = \^C' "$TMP/stty" || fail "the terminal's interrupt key was not restored: $(grep -o 'intr = [^;]*' "$TMP/stty")"
grep -q ' icanon' "$TMP/stty" && grep -q ' echo ' "$TMP/stty" || fail "the terminal was left out of canonical mode or echo off"
step "$how exits ${want:-0} and restores the terminal"
echo "all passed ($MODE)"
