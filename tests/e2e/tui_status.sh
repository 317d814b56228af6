#!/usr/bin/env bash
# End-to-end test under tmux (issue 13, "a status bar that tells the truth" and "lessons that hold"):
# the Space hint says Start, Pause, Resume (PAUSED) and Continue (DONE); the hints stay in place
# while training; q while PAUSED asks; a lesson that locks the model refuses a (as Enter on units
# does) and its "is locked" message goes when the run starts and ends; after a race the status bar
# shows no racer's lr and the legend says how best is chosen.
# Usage: tui_status.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=status E2E_NAME=status
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TMP"
open() {   # open W H ARGS...: the app in a fresh session of that size
  local w=$1 h=$2; shift 2
  t kill-session -t "$S" 2>/dev/null || true
  rm -f "$TMP/rc"
  t new-session -d -s "$S" -x "$w" -y "$h" -e LANG=C.UTF-8 "cd $TMP && $APP --pace ${PACE:-max} $* 2>$TMP/err; echo \$? >$TMP/rc"
}
quit() { keys q; wait_rc; [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"; }
bar() { t capture-pane -p -t "$S" | tail -1; }

# a preset that trains long enough to be caught running and paused
sed 's/"epochs": 60/"epochs": 100000/' "$SRC/presets/xor.json" >long.json
grep -q '"epochs": 100000' long.json || fail "long.json: epochs not set"

# (85 columns: the hints that fit changed when the epoch reached 10000; 100 and more: when the batch
# number went from 9 to 10, every epoch)
for w in 85 100 120; do
  PACE=200 open $w 24 long.json   # 200 epochs/s: 100000 epochs last long enough to be caught
  wait_for 'READY'; wait_for 'Space Start'
  keys Space; wait_for 'RUNNING'; wait_for 'Space Pause'
  # the hints keep their place while the figures before them change
  pos=""
  for i in $(seq 100); do
    b=$(bar)
    case "$b" in *RUNNING*"Space Pause"*) ;; *) continue ;; esac
    p=${b%%Space Pause*}
    n=${#p}
    [ -z "$pos" ] && pos=$n
    [ "$n" = "$pos" ] || fail "at ${w} columns the hints moved: column $pos, then $n: $b"
    sleep 0.02
  done
  [ -n "$pos" ] || fail "never saw the running status bar"
  keys Space; wait_for 'PAUSED'; wait_for 'Space Resume'
  keys q; wait_for 'Training is paused; quitting ends the run \(not recorded\)\. Quit nnterm\?'
  keys n; wait_gone 'Quit nnterm'; wait_for 'PAUSED'
  [ -s "$TMP/rc" ] && fail "q while PAUSED quit at once"
  keys q; wait_for 'Quit nnterm\?'; keys y; wait_rc
done
step "Space: Start, Pause, Resume; the hints stay in place while training (85, 100, 120 columns); q while PAUSED asks"

open 100 30 lesson-overfitting
wait_for 'READY'
keys 2; wait_for '2 Architecture'
keys Down a; wait_for 'model\.layers is locked by this lesson'
keys d; wait_for 'model\.layers is locked by this lesson'
keys K; keys J; wait_for '2-64-64-2|64 +relu'
t capture-pane -p -t "$S" | grep -q '16 *relu' && fail "a layer of 16 was added"
keys Space; wait_for 'DONE'; wait_for 'Space Continue'
E2E_WAIT_MS=2000 wait_gone 'is locked'
step "lesson-overfitting: a, d, K, J refuse; the 'is locked' message goes when the run has run; Space says Continue after DONE"
quit

open 120 40 xor
wait_for 'READY'; wait_for 'lr 0\.01 '
keys 0; wait_for 'Optimizer race: Enter'; keys Enter
wait_for 'adadelta'; keys Space; wait_for 'DONE' 60000
wait_for '\*best: lowest val loss, then test acc'; wait_for 'momentum .* final'
b=$(bar); case "$b" in *" lr "*) fail "after a race the status bar shows a racer's lr: $b" ;; esac
keys 0 Enter; wait_for 'race ended'; wait_for 'READY'; wait_for 'lr 0\.01 '
step "after a race the status bar shows no racer's lr; the legend says how best is chosen"
quit
echo "all passed"
