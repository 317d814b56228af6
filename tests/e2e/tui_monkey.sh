#!/usr/bin/env bash
# Random keys, mouse reports and resizes (fixed seed) at the trainer under tmux: it must survive
# them, then quit with status 0 and the terminal restored. Usage: tui_monkey.sh NNTERM [KEYS] [SEED]; 77 without tmux.
set -uo pipefail
export LC_ALL=C.UTF-8
export NNTERM_RUNS=off   # no run records in the user's home (harness.sh)
APP=$(realpath "$1"); N=${2:-400}; SEED=${3:-7}
command -v tmux >/dev/null || { echo "tmux not found: skipped"; exit 77; }
TMP=$(mktemp -d); S=monkey
printf 'set -g remain-on-exit on\nset -g default-terminal tmux-256color\n' >"$TMP/conf"
t() { tmux -S "$TMP/sock" -f "$TMP/conf" "$@"; }
trap 't kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT
shows() { local s; s=$(t capture-pane -p -t "$S") || return 2; grep -q -- "$1" <<<"$s"; }   # see harness.sh
fail() { echo "FAIL: $*" >&2; t capture-pane -p -t "$S" >&2 || true; cat "$TMP/err" >&2; exit 1; }
cd "$TMP"
t new-session -d -s "$S" -x 100 -y 30 -e LANG=C.UTF-8 "cd $TMP && $APP --pace max 2>$TMP/err; echo \$? >$TMP/rc"
for _ in $(seq 750); do shows READY && break; sleep 0.02; done
KEYS=(Space s S r R + - Tab BTab 1 2 3 4 5 Up Down Left Right k j h g G Enter Escape BSpace a d K J L z w m
      '?' F1 PPage NPage x 0 9 . l)
RANDOM=$SEED
# a mouse report (X10, as ncurses expects under tmux-256color): button 0-2 press or release, wheel
mouse() { local b=$1 x=$(( RANDOM % 94 )) y=$(( RANDOM % 40 ))
  t send-keys -t "$S" -l $'\e[M'"$(printf "\\x$(printf %x $((32 + b)))\\x$(printf %x $((33 + x)))\\x$(printf %x $((33 + y)))")"; }
MOUSE=(0 3 0 3 1 2 3 64 65)   # left press, release, middle, right, wheel up and down
for i in $(seq "$N"); do
  if (( RANDOM % 6 == 0 )); then mouse "${MOUSE[$((RANDOM % ${#MOUSE[@]}))]}"; fi
  t send-keys -t "$S" "${KEYS[$((RANDOM % ${#KEYS[@]}))]}"
  (( i % 100 == 0 )) && t resize-window -t "$S" -x $((60 + RANDOM % 120)) -y $((16 + RANDOM % 40))
  [ -s "$TMP/rc" ] && fail "exited early with status $(cat "$TMP/rc") after $i keys"
done
t resize-window -t "$S" -x 100 -y 30
# back to the panels whatever is open (edit, dialog, picker, help), then quit, confirming if asked
for _ in $(seq 100); do
  shows 'Space \(Start\|Pause\)' && break
  t send-keys -t "$S" Escape; sleep 0.1
done
t send-keys -t "$S" q
# poll (15 s): quit at once, or confirm once the "Quit nnterm?" dialog shows (it may be slow to come)
for _ in $(seq 750); do
  [ -s "$TMP/rc" ] && break
  shows 'Quit nnterm' && t send-keys -t "$S" y
  sleep 0.02
done
[ -s "$TMP/rc" ] || fail "did not quit"
[ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"
[ "$(t display -p -t "$S" '#{alternate_on}')" = 0 ] || fail "terminal left in the alternate screen"
echo "survived $N random keys; quit cleanly"
