#!/usr/bin/env bash
# open.sh NNTERM — what PRESET may name besides a preset (issue 13): a CSV file is the defaults on that
# data (the last column the label; `nnterm train DATA.csv` was "JSON syntax error near a,b,label"), and
# a saved model is the preset it was trained with, which `train` trains on from the model's weights
# (--epochs 0 reports them) and `race` and `check` read as its preset. A model saved in another
# folder still finds its data (the preset's paths are rewritten for the model's folder).
. "$(dirname "$0")/lib.sh" "$@"

field() { tail -n 1 "$T/out" | grep -o "\"$1\":[^,}]*" | cut -d: -f2; }

mkdir -p data models
{
    echo "a,b,label"
    for i in $(seq 0 59); do a=$((i * 7 % 10)) b=$((i * 3 % 11)); echo "$a,$b,$([ $((a + b)) -gt 9 ] && echo big || echo small)"; done
} >data/points.csv

run check data/points.csv
expect_rc 0
expect_out_has "data/points.csv: ok (a CSV file"
run train data/points.csv --epochs 3
expect_rc 0
expect_err_lines 0
[ "$(head -n 1 "$T/out")" = "points.csv" ]
check $? "the run is not named after the CSV file: $(head -n 1 "$T/out")"
expect_out_has "data: csv, 60 samples (42 train / 6 val / 12 test), 2 features, 2 classes"
expect_out_has "epoch 3/3"
expect_out_has "small"
run race data/points.csv --epochs 2 --optimizers sgd,adam
expect_rc 0
expect_out_has "adam"
bad "nothing.csv: No such file" train nothing.csv
bad "nothing.csv: No such file" check nothing.csv

# a model trained in one folder, saved in another, with its data in a third
run train data/points.csv --epochs 4 --json --save models/m.json
expect_rc 0
saved_test=$(field test_loss) saved_acc=$(field accuracy)
grep -q '"path": "../data/points.csv"' models/m.json
check $? "the model's preset does not name its data from the model's folder: $(grep '"path"' models/m.json)"
run check models/m.json
expect_rc 0
expect_out_has "models/m.json: ok (a model of points.csv)"
run train models/m.json --epochs 0 --json
expect_rc 0
[ "$(field test_loss)" = "$saved_test" ] && [ "$(field accuracy)" = "$saved_acc" ]
check $? "the model's weights report test loss $(field test_loss) accuracy $(field accuracy), saved $saved_test $saved_acc"
run train models/m.json --epochs 0
expect_rc 0
expect_out_has "from the trained weights of models/m.json"
expect_out_has "as loaded "
# training on goes on from the weights: its first epoch ends where the saved run's fifth would, not
# where a first epoch from the seed's weights does
trainloss() { grep "\"epoch\":$1," "$T/out" | grep -o '"train_loss":[^,]*' | cut -d: -f2; }
run train data/points.csv --epochs 5 --json
scratch1=$(trainloss 1) scratch5=$(trainloss 5)
run train models/m.json --epochs 1 --json
expect_rc 0
on1=$(trainloss 1)
awk -v a="$on1" -v s1="$scratch1" -v s5="$scratch5" 'BEGIN { exit !(a < s1 && (a - s5) ^ 2 < (s1 - s5) ^ 2 / 4) }'
check $? "one epoch on from a 4-epoch model: train loss $on1; from the start: epoch 1 $scratch1, epoch 5 $scratch5"
run race models/m.json --epochs 1 --optimizers sgd
expect_rc 0
expect_out_has "race on points.csv"
# a model whose network no longer matches what --set asks for
bad "does not match the preset's" train models/m.json --set model.layers.0.units=8
# a wine model saved here finds the embedded wine.csv
run train wine --epochs 1 --quiet --save models/w.json
expect_rc 0
grep -q '"path": "builtin:wine.csv"' models/w.json
check $? "the wine model does not name the embedded CSV"
run train models/w.json --epochs 0 --quiet
expect_rc 0
finish
