#!/usr/bin/env bash
# untrained.sh NNTERM — `nnterm train PRESET --epochs 0`: no training; the final report describes the
# initial weights and --save writes them, the preset inside keeping its own epochs. The initial
# weights are the ones a training run starts from: the model saved after 0 epochs and the one saved
# after 1 epoch differ, and 0 epochs twice give the same file.
. "$(dirname "$0")/lib.sh" "$@"

# field NAME: a number from the last line of $T/out
field() { tail -n 1 "$T/out" | grep -o "\"$1\":[^,}]*" | cut -d: -f2; }

run train iris --epochs 0 --json --save m0.json
expect_rc 0
expect_err_lines 0
[ "$(grep -c '' "$T/out")" -eq 1 ]
check $? "expected the final line alone"
grep -q '^{"final":true,"epochs":0,"train_loss":[0-9.]*,"val_loss":[0-9.]*,"test_loss":[0-9.]*,"accuracy":' "$T/out"
check $? "the final line lacks epochs 0 and the three losses"
grep -q '"confusion_matrix":\[\[' "$T/out"
check $? "no confusion matrix for the initial weights"
init_train=$(field train_loss) init_test=$(field test_loss)
[ -s m0.json ] && grep -q '"nnterm-model"' m0.json && grep -q '"epochs": 20,' m0.json
check $? "m0.json is not a model whose preset keeps 20 epochs"

# the first epoch starts from these weights: its losses are lower, and the saved weights moved
run train iris --epochs 1 --json --save m1.json
expect_rc 0
first=$(grep '"epoch":1,' "$T/out" | grep -o '"train_loss":[^,]*' | cut -d: -f2)
awk -v a="$first" -v b="$init_train" 'BEGIN { exit !(a < b) }'
check $? "epoch 1's train loss $first is not below the initial $init_train"
! cmp -s <(grep -A3 '"weights"' m0.json) <(grep -A3 '"weights"' m1.json)
check $? "the untrained and the trained weights are the same"

# reproducible: the same file again, and with --threads 2
run train iris --epochs 0 --json --save m0b.json --threads 2
expect_rc 0
cmp -s m0.json m0b.json
check $? "two --epochs 0 saves differ"
[ "$(field test_loss)" = "$init_test" ]
check $? "the test loss of the initial weights changed: $(field test_loss) vs $init_test"

# --set training.epochs is kept in the saved preset; a later --epochs wins over an earlier 0
run train iris --set training.epochs=7 --epochs 0 --quiet --save m7.json
expect_rc 0
grep -q '"epochs": 7,' m7.json
check $? "the saved preset does not keep training.epochs 7"
expect_out_has "test accuracy"
run train iris --epochs 0 --epochs 2 --json
expect_rc 0
[ "$(grep -c '"epoch":' "$T/out")" -eq 2 ]
check $? "--epochs 0 --epochs 2 did not train 2 epochs"

# text: the header says 0 epochs, one untrained line, then the report; regression too
run train iris --epochs 0
expect_rc 0
expect_out_has "batch 16, 0 epochs, seed 1234"
expect_out_has "untrained   train loss"
expect_out_has "confusion matrix"
run train sine --epochs 0 --json
expect_rc 0
grep -q '^{"final":true,"epochs":0,"train_loss":[0-9.]*,"val_loss":[0-9.]*,"test_loss":[0-9.]*,"r2":' "$T/out"
check $? "regression: the final line lacks the losses and r2"

# negative epochs are still bad usage
bad "--epochs" train iris --epochs -1
finish
