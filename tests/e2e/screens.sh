#!/usr/bin/env bash
# screens.sh NNTERM OUTDIR [PRESET...] — every screen of the trainer, captured under tmux with its
# colours and attributes (capture-pane -e), for comparing two builds: each view (5 .. i, n and p, the Step
# view traced), each panel focused, the zoom, the help, the save prompt, a field and a layer being edited, the
# "resets training" question and the preset picker, at 80x24, 120x40 and 220x60, in colour and with
# --no-color, paused after 3 epochs (`s` steps, never timing), then the "too small" message.
# One file per screen: OUTDIR/PRESET-MODE/WxH-NAME.txt. Default presets: iris xor sine.
# Masked, as they vary from run to run: samples/s, the elapsed time (absent under 100 columns) and the ETA in the status bar,
# and (below 200 columns, where their count depends on the width of those numbers) the key hints
# after them. tests/e2e/screens_same.sh compares two builds with it.
# Exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1"); OUT=$2; shift 2
PRESETS=("$@"); [ ${#PRESETS[@]} -gt 0 ] || PRESETS=(iris xor sine)
S=screens E2E_WAIT_MS=${E2E_WAIT_MS:-30000}
. "$(dirname "$0")/harness.sh"
mkdir -p "$OUT"
OUT=$(realpath "$OUT")

W=0
mask() {
  local hints='\1'
  [ "$W" -ge 200 ] || hints='\1HINTS'
  sed -E "s#[0-9.]+[kM]? samples/s  ([0-9]+(:[0-9]{2})+  )?ETA ([0-9]+(:[0-9]{2})+|-) #RATE samples/s  TIME  ETA TIME #;
          s#(RATE samples/s  TIME  ETA TIME ( lr [0-9.e+-]+ )?).*\$#${hints}#"
}
cap() { t capture-pane -p -e -t "$S" | mask; }
# settle [PCRE]: after a key, wait until the screen changed (for at most 2 s: some keys change
# nothing), shows PCRE, and stays the same for 0.2 s (the worker may publish once more).
prev=""
settle() {
  local a b d
  d=$(( $(now) + 2000 ))
  while [ "$(cap)" = "$prev" ] && (( $(now) < d )); do sleep 0.02; done
  [ -z "${1:-}" ] || wait_for "$1"
  a=$(cap)
  while :; do sleep 0.12; b=$(cap); [ "$a" = "$b" ] && break; a=$b; done
  prev=$a
}
save() { printf '%s\n' "$prev" >"$DIR/${W}x${H}-$1.txt"; }
shot() { local name=$1 re=${2:-}; shift 2; keys "$@"; settle "$re"; save "$name"; }

for p in "${PRESETS[@]}"; do
  for mode in color nocolor; do
    DIR=$OUT/$p-$mode; mkdir -p "$DIR"
    flag=""; [ "$mode" = nocolor ] && flag="--no-color"
    t kill-session -t "$S" 2>/dev/null || true; rm -f "$TMP/rc"
    W=220 H=60
    t new-session -d -s "$S" -x $W -y $H -e LANG=C.UTF-8 "cd $TMP && $APP $flag $p 2>$TMP/err; echo \$? >$TMP/rc"
    wait_for 'READY'
    for e in 1 2 3; do keys s; wait_for "PAUSED.*Epoch $e/"; done
    prev=""; settle 'Epoch 3/'
    for size in 220x60 120x40 80x24; do
      W=${size%x*} H=${size#*x}
      t resize-window -t "$S" -x "$W" -y "$H"; settle 'Epoch 3/'
      shot view5 '5 (Confusion|Fit)' 5
      shot view6 '6 Boundary' 6
      shot viewn 'n Neurons' n
      shot view7 '7 Network' 7
      shot viewp 'p Samples' p
      shot view8 '8 Health' 8
      shot view9 '9 Step' 9
      shot view0 '0 Race' 0
      shot viewi 'i Lesson' i
      shot step-traced 'sample 0' 9 Enter
      shot panel1 '' 1
      shot panel2 '' 2
      shot panel3 '' 3
      shot panel4 '' 4
      shot zoom '' z; keys z; settle
      shot help 'Key bindings' '?'; keys Escape; settle
      shot prompt 'Save preset' w; keys Escape; settle
      shot edit 'Enter applies' 3 G Enter; keys Escape; settle
      shot edit-layer 'Enter applies' 2 Enter; keys Escape; settle
      shot confirm 'resets training' 2 a; keys n; settle
      shot picker 'Presets' l; keys Escape; settle
    done
    W=60 H=20
    t resize-window -t "$S" -x "$W" -y "$H"; settle 'too small'; save small
    keys q; wait_for 'quit\? y / n'; keys y; wait_rc   # paused part way: q asks (issue 13)
  done
done
echo "screens in $OUT"
