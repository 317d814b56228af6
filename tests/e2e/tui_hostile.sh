#!/usr/bin/env bash
# End-to-end test of the trainer against hostile files and signals (issue 11), under tmux:
# a FIFO named zz.json in the working folder must not freeze the preset picker (`l` once blocked in
# open(), and Esc and q did nothing); the picker lists regular files only. SIGTERM and SIGHUP sent
# with kill end the trainer with 143 and 129 (they ended it with 0), the terminal restored.
# Usage: tui_hostile.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=e2e E2E_NAME=hostile
. "$(dirname "$0")/harness.sh"
N=0; step() { N=$((N + 1)); echo "ok $N - $*"; }
open() {   # open ARGS...: a fresh trainer in a 100x30 pane; its exit status goes to $TMP/rc
  t kill-session -t "$S" 2>/dev/null || true; rm -f "$TMP/rc" "$TMP/stty"
  t new-session -d -s "$S" -x 100 -y 30 -e LANG=C.UTF-8 \
    "cd $TMP/work && $APP --pace max $* 2>$TMP/err; st=\$?; stty -a >$TMP/stty 2>&1; echo \$st >$TMP/rc"
}
app_pid() { local p; p=$(pgrep -P "$(t display -p -t "$S" '#{pane_pid}')" | head -1); [ -n "$p" ] || fail "no app process"; echo "$p"; }
restored() {
  [ "$(t display -p -t "$S" '#{alternate_on}')" = 0 ] || fail "terminal left in the alternate screen"
  grep -q 'intr = \^C' "$TMP/stty" || fail "the interrupt key was not restored"
  grep -q ' icanon' "$TMP/stty" && grep -q ' echo ' "$TMP/stty" || fail "the terminal was left out of canonical mode or echo off"
}

mkdir "$TMP/work"
mkfifo "$TMP/work/zz.json"
ln -s zz.json "$TMP/work/yy.json"                       # a link to the FIFO: not a regular file either
mkfifo "$TMP/work/data.csv"
printf '{"name": "Mine", "dataset": {"source": "xor"}}\n' >"$TMP/work/mine.json"
printf '{"name": "Reads a FIFO", "dataset": {"source": "csv", "path": "data.csv"}}\n' >"$TMP/work/fifodata.json"

open
wait_for 'READY'; wait_for 'Epoch 0/20'
keys l; wait_for 'Presets'; wait_for '\./mine\.json: Mine'; wait_for '\./fifodata\.json'
! shows 'zz\.json|yy\.json' || fail "the picker lists a FIFO"
keys Escape; wait_gone 'Presets'
keys l; wait_for 'Presets'; keys q; wait_gone 'Presets'; wait_for 'READY'
step "l with a FIFO zz.json here: the picker opens without it, Esc and q close it"

# a preset whose data file is a FIFO: loading refuses it at once, the trainer stays responsive
# (the picker: the built-ins, then ./fifodata.json and ./mine.json, sorted: G k picks the first)
keys l; wait_for 'Presets'; keys G k; wait_for 'Reads a FIFO'; keys Enter
wait_for 'data\.csv: a FIFO, not a regular file'
keys '?'; wait_for 'Key bindings'; keys Escape; wait_gone 'Key bindings'
step "a preset whose CSV is a FIFO: 'a FIFO, not a regular file', the trainer still answers"

pid=$(app_pid); kill -TERM "$pid"
wait_rc; [ "$(cat "$TMP/rc")" = 143 ] || fail "SIGTERM: exit status $(cat "$TMP/rc"), not 143"
restored
step "SIGTERM: exit status 143, terminal restored"

open; wait_for 'READY'
keys Space; wait_for 'RUNNING|DONE'
pid=$(app_pid); kill -HUP "$pid"
wait_rc; [ "$(cat "$TMP/rc")" = 129 ] || fail "SIGHUP: exit status $(cat "$TMP/rc"), not 129"
restored
step "SIGHUP: exit status 129, terminal restored"

open zz.json
wait_rc; [ "$(cat "$TMP/rc")" = 2 ] || fail "nnterm zz.json: exit status $(cat "$TMP/rc"), not 2"
grep -q 'zz\.json: a FIFO, not a regular file' "$TMP/err" || fail "nnterm zz.json: $(cat "$TMP/err")"
step "nnterm zz.json (a FIFO) is refused at once"
echo "all passed (hostile)"
