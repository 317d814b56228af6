#!/usr/bin/env bash
# Resume in the trainer (issue 15), under tmux (harness.sh): a model saved by `train --save` with its
# run state opens where the run stopped, and Space trains on exactly as `train --resume` does: iris-adam
# trained 10 epochs and saved, opened at --pace max, Space to DONE after 10 more, saved with m, has the
# weights and optimizer state of the 20-epoch headless run byte for byte; the run's record (epochs
# 11..20) has the headless run's figures and verifies. A model without a run state (an older file)
# opens at epoch 0 with its weights, and the status bar says the optimizer starts fresh.
# Usage: tui_resume.sh NNTERM    exit 77 (skipped) without tmux.
set -euo pipefail
export LC_ALL=C.UTF-8
APP=$(realpath "$1")
S=resume E2E_NAME=resume
. "$(dirname "$0")/harness.sh"
step() { echo "ok - $*"; }
cd "$TMP"
# the layers (weights and biases) of a model, and its optimizer state
weights() { /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(json.dumps(m["layers"]), json.dumps(m["state"]["optimizer"]))' "$1"; }

"$APP" train iris-adam --epochs 10 --quiet --save half.json >/dev/null || fail "train --epochs 10 failed"
"$APP" train iris-adam --epochs 20 --json --save full.json >full.jsonl || fail "train --epochs 20 failed"
t new-session -d -s "$S" -x 120 -y 30 -e LANG=C.UTF-8 -e NNTERM_RUNS="$TMP/runs" \
    "cd $TMP && $APP half.json --pace max 2>$TMP/err; echo \$? >$TMP/rc"
wait_for 'half\.json: resumed, optimizer state as saved'
wait_for 'READY +Epoch 10/20'
step "a model with its run state opens after epoch 10, Space going on to 20 (as train --resume --epochs 10)"
keys Space; wait_for 'DONE +Epoch 20/20'
keys m; wait_for 'Save model'; keys C-u; keys -l ui.json; keys Enter; wait_for 'model saved to ui\.json'
[ "$(weights ui.json)" = "$(weights full.json)" ] || fail "the weights or the optimizer state after 10 + 10 epochs in the trainer differ from the 20-epoch run"
step "Space to DONE and m: the weights and optimizer state of the 20-epoch run, byte for byte"
keys q; wait_rc; [ "$(cat "$TMP/rc")" = 0 ] || fail "exit status $(cat "$TMP/rc")"
rec=$(ls "$TMP"/runs/*.json)
/usr/bin/python3 - "$rec" full.jsonl <<'PY' || fail "the record of the resumed run"
import json, sys
r = json.load(open(sys.argv[1]))
full = [json.loads(l) for l in open(sys.argv[2])]
strip = lambda e: {k: v for k, v in e.items() if k not in ("seconds", "eval_seconds")}
assert [e["epoch"] for e in r["epochs"]] == list(range(11, 21)), [e["epoch"] for e in r["epochs"]]
assert [strip(e) for e in r["epochs"]] == [strip(e) for e in full[10:20]], "figures differ"
assert strip(r["final"]) == strip(full[20]), "final differs"
assert "start" not in r
PY
"$APP" verify "$rec" >v.txt 2>&1 || fail "verify: $(cat v.txt)"
step "its record holds epochs 11..20 with the figures of the 20-epoch run, and verifies"

/usr/bin/python3 -c 'import json; m=json.load(open("half.json")); del m["state"]; json.dump(m, open("old.json","w"), indent=2)'
rm -f "$TMP/rc"
t new-window -t "$S" -e LANG=C.UTF-8 "cd $TMP && $APP old.json --pace max 2>$TMP/err; echo \$? >$TMP/rc"
t kill-window -t "$S:0"
wait_for 'old\.json: trained weights, fresh optimizer; test accuracy [0-9.]+%'
wait_for 'READY +Epoch 0/10'
keys q; wait_rc
step "a model without a run state: its weights at epoch 0, and the optimizer starts fresh (status bar)"
echo "all passed (resume)"
