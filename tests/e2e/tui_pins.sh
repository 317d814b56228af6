#!/usr/bin/env bash
# Pinned runs and the Compare view, under tmux (harness.sh; every key followed by a wait for the
# screen it causes): xor at pace max trains to DONE; P pins it; + doubles the learning rate and r
# resets; the second run trains to DONE; the Loss chart's legend names the pin by what differs
# ("1 lr 0.01": the pinned run's rate, as `nnterm compare` heads its column), and the Compare view (c)
# lists two rows, the pin and now. Del on the pin removes it. At 80x24, in colour and in ASCII.
# Usage: tui_pins.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=pins E2E_NAME=pins
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
cd "$TMP"
for mode in color ascii; do
  extra=""; [ "$mode" = ascii ] && extra="--ascii --no-color"
  : >"$TMP/rc"
  t new-session -d -s "$S" -x 80 -y 24 -e LANG=C.UTF-8 "cd $TMP && $APP xor --pace max $extra 2>$TMP/err; echo \$? >$TMP/rc"
  wait_for 'READY +Epoch 0/60'
  keys P; wait_for 'nothing to pin yet'
  keys Space; wait_for 'DONE +Epoch 60/60'
  keys P; wait_for 'pinned as 1 \(epoch 60\)'
  keys P; wait_for 'pinned already as 1'
  step "$mode: P pins the run once"

  keys +; wait_for 'learning rate +0\.02'
  keys r; wait_for 'READY +Epoch 0/60'
  keys Space; wait_for 'DONE +Epoch 60/60'
  wait_for '[│|]1 lr 0\.01 +[│|]'   # the Loss panel's pin legend: what differs, the pinned run's lr
  step "$mode: the Loss chart's legend names the pin by what differs (lr 0.01)"

  keys c; wait_for 'c Compare'
  wait_for '[│|]# differs +epoch +val +acc [│|]'
  wait_for '[│|]1 lr 0\.01 +60 +[0-9.]+ +[0-9.]+% [│|]'
  wait_for '[│|]\* now +60 +[0-9.]+ +[0-9.]+% [│|]'
  [ "$(screen | grep -cP '[│|][1*] (lr 0\.01|now) +60 ')" = 2 ] || fail "the Compare table has not two rows"
  wait_for '[│|]1 lr 0\.01 +now +[│|]'   # the maps' captions
  step "$mode: the Compare view lists the pin and now, with their maps"

  keys DC; wait_for 'pin 1 removed \(0 left\)'
  wait_for 'Compare: P pins the run shown'
  step "$mode: Del on the Compare view removes the selected pin"
  keys q; wait_rc
  [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"
  t kill-session -t "$S" 2>/dev/null || true
done
