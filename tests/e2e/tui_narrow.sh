#!/usr/bin/env bash
# End-to-end test under tmux: at 80x24 the words that were cut or split read whole (the collapsed
# Hyperparameters line keeps its learning rate, the Architecture keys stay on one row, the Network
# view's picked weight keeps its keys, the Boundary's hard-regions note), and at 120x40 the view tab
# strip says there are more views than it shows.
# Usage: tui_narrow.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=narrow E2E_NAME=narrow
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
open() {   # open W H ARGS...: the app in a fresh session of that size
  local w=$1 h=$2; shift 2
  t kill-session -t "$S" 2>/dev/null || true
  rm -f "$TMP/rc"
  t new-session -d -s "$S" -x "$w" -y "$h" -e LANG=C.UTF-8 "cd $TMP && $APP $* 2>$TMP/err; echo \$? >$TMP/rc"
}
quit() { keys q; local d=$(( $(now) + 15000 * E2E_SCALE )); until [ -s "$TMP/rc" ]; do
  shows 'Quit nnterm\?' && keys y; (( $(now) < d )) || fail "app did not exit"; sleep 0.02; done
  [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"; }

open 80 24 xor
wait_for 'READY'
keys 2; wait_for '\x{25B8} 3 Hyperparam[^ ]*  adam lr 0\.01 '
step "80x24: the collapsed Hyperparameters line shows 'adam lr 0.01' whole"
wait_for '\x{2502}Enter edit a add d del K/J move +\x{2502}'
step "80x24: the Architecture keys on one row"
keys s; wait_for 'PAUSED.*Epoch 1/'
keys 7; wait_for '\x{256D} 7 Network'; keys ']'
wait_for '\x{25B6} b1\[0\] .* Enter edit  \[ \] Esc'
step "80x24: the Network view's picked weight shows Enter, [ ] and Esc"
keys Escape 6; wait_for '\x{256D} 6 Boundary'; keys d
wait_for ' hard \(d\) +\x{2502}'; wait_for 'Boundary: hard class regions \(d: shading\)$'
! shows 'hard regi\x{2026}' || fail "the hard-regions note is cut"
step "80x24: d in the Boundary: the note and the message whole"
quit

open 120 40 iris
wait_for 'READY'; keys 5
wait_for '\x{256D} 5 Confusion \x{2500} 6 Bound .* 0 Race v: views \x{2500}+\x{256E}'
step "120x40: the tab strip ends with 'v: views' when a tab is left out"
quit
echo "all passed"
