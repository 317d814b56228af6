#!/usr/bin/env bash
# features.sh NNTERM — Playground's input features (dataset.features, issue 14): a model trained on
# features computed from x1, x2 saves the raw columns' names, and `predict` reads those two columns
# and computes the same features. XOR with the single feature x1*x2 and no hidden layer: a straight
# line in x1*x2 separates the classes, so predict gets the four quadrants right only if it expands
# x1, x2 into x1*x2 as the trainer did.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh" "$@"

run train xor --quiet --set 'dataset.features=["x1*x2"]' --set 'model.layers=[{"activation":"softmax"}]' \
    --save m.json
expect_rc 0
grep -q '"raw_features": \["x1", "x2"\]' m.json
check $? "the model does not name its raw features x1, x2"
grep -q '"features": \["x1\*x2"\]' m.json
check $? "the model's features are not [x1*x2]"

# the columns by name, in any order, other columns ignored
printf 'label,x2,x1\n1,0.5,0.5\n0,0.5,-0.5\n0,-0.5,0.5\n1,-0.5,-0.5\n1,-0.9,-0.2\n0,0.9,-0.2\n' >q.csv
run predict m.json q.csv
expect_rc 0
[ "$(cut -d, -f1,2 "$T/out" | tr '\n' ' ')" = "row,predicted 1,1 2,0 3,0 4,1 5,1 6,0 " ]
check $? "predict does not compute x1*x2 from x1, x2 (predicted: $(cut -d, -f2 "$T/out" | tr '\n' ' '))"

# a CSV without one of the raw columns: one line naming it
printf 'x1,y\n0.5,1\n' >noy.csv
bad "x2" predict m.json noy.csv

# a model file whose raw_features were removed no longer says how to compute its inputs
grep -v '"raw_features"' m.json >broken.json
bad "broken.json: raw_features: missing" predict broken.json q.csv

# headless refusals name the key
bad 'dataset.features: needs data with two raw features (x1, x2); the iris source gives 4' \
    train iris --epochs 1 --set 'dataset.features=["x1^2"]'
bad 'dataset.features.1: "x1" is given twice' train xor --epochs 1 --set 'dataset.features=["x1","x1"]'
bad 'dataset.features.0: "x3" is not one of' train xor --epochs 1 --set 'dataset.features=["x3"]'

# the default (x1, x2 as they are) keeps the model file as it was: no raw_features
run train xor --epochs 1 --quiet --set 'dataset.features=["x1","x2"]' --save plain.json
expect_rc 0
! grep -q raw_features plain.json
check $? "x1, x2 as they are wrote raw_features"
finish
