#!/usr/bin/env bash
# resume.sh NNTERM — `nnterm train --resume MODEL.json [--epochs N]` (issue 15): for every optimizer,
# 20 epochs in one go and 10 + save + resume 10 give the same weights (byte for byte) and the same
# --json figures (timing aside); a model without state (an older file) resumes with a fresh
# optimizer and says so; a finished run needs --epochs; --set, --seed and a preset are refused with
# --resume; a broken state is one line naming the field.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh" "$@"

# figures: the --json lines without the timing fields
figures() { sed -e 's/,"seconds":[^,}]*//' -e 's/,"eval_seconds":[^,}]*//' "$1"; }
# the layers (weights and biases) of a model, and its optimizer state
weights() { /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(json.dumps(m["layers"]), json.dumps(m["state"]["optimizer"]))' "$1"; }

for opt in sgd rmsprop adam adamw adagrad adadelta nadam; do
    run train iris --set training.optimizer.name=$opt --set training.regularization.dropout=0.1 --epochs 20 --json \
        --save one.json
    expect_rc 0
    figures "$T/out" | tail -n 11 >one.txt
    run train iris --set training.optimizer.name=$opt --set training.regularization.dropout=0.1 --epochs 10 --json \
        --save half.json
    expect_rc 0
    run train --resume half.json --epochs 10 --json --save two.json
    expect_rc 0
    expect_err_lines 0
    figures "$T/out" >two.txt
    [ "$(wc -l <two.txt)" -eq 11 ] && head -n 1 two.txt | grep -q '"epoch":11,'
    check $? "$opt: the resumed run does not report epochs 11..20 and the final line"
    cmp -s one.txt two.txt
    check $? "$opt: the --json figures of epochs 11..20 differ: $(diff one.txt two.txt | head -n 3)"
    [ "$(weights one.json)" = "$(weights two.json)" ]
    check $? "$opt: the weights or the optimizer state differ after 20 epochs"
done

# text output says where it resumed
run train --resume half.json --epochs 2
expect_rc 0
expect_out_has "resumed from half.json after epoch 10"
expect_out_has "epoch 12/12"

# a finished run: --epochs N is needed
bad "all 10 epochs of this run are done; --epochs N trains N more" train --resume half.json
# no preset, --set or --seed with --resume; --epochs 0 makes no sense
bad "no preset" train iris --resume half.json
bad "--set and --seed would change it" train --resume half.json --set training.epochs=3
bad "--set and --seed would change it" train --resume half.json --seed 3
bad "N more epochs, at least 1" train --resume half.json --epochs 0
bad "--resume needs a model file" train --resume
bad "nope.json" train --resume nope.json --epochs 1

# an older model: no "state"; it still predicts, and resuming says the optimizer starts fresh
/usr/bin/python3 -c 'import json,sys; m=json.load(open("half.json")); del m["state"]; json.dump(m, open("old.json","w"), indent=2)'
printf 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n' >x.csv
run predict old.json x.csv
expect_rc 0
run train --resume old.json --epochs 3 --json
expect_rc 0
expect_err_lines 1
expect_err_has "old.json: no training state in this model"
expect_err_has "the optimizer starts fresh"
[ "$(grep -c '"epoch":' "$T/out")" -eq 3 ] && head -n 1 "$T/out" | grep -q '"epoch":1,'
check $? "an old model's resumed run does not train epochs 1..3"

# a broken state: one line naming the field
/usr/bin/python3 -c 'import json,sys; m=json.load(open("half.json")); m["state"]["rng"][2]="zz"; json.dump(m, open("bad.json","w"))'
bad "bad.json: state.rng.2" train --resume bad.json --epochs 1
/usr/bin/python3 -c 'import json,sys; m=json.load(open("half.json")); m["state"]["order"][0]=m["state"]["order"][1]; json.dump(m, open("bad.json","w"))'
bad "bad.json: state.order.1" train --resume bad.json --epochs 1

finish
