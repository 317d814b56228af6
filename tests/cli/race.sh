#!/usr/bin/env bash
# race.sh NNTERM — `nnterm race`: each optimizer's run in the race gives the numbers it gives alone
# (`nnterm train` with that optimizer), epoch by epoch, although the racers share one loaded copy
# of the data; on the built-in iris and on a CSV preset (wine). Under ASan this also checks that the
# shared data is freed once, after the last racer.
. "$(dirname "$0")/lib.sh" "$@"

# losses P OPT: the epoch lines' train/val/test losses, then the final line's test loss and accuracy
losses() {
    grep -v '"final":true' "$T/$1" | grep -o '"\(train\|val\|test\)_loss":[^,}]*' | tr '\n' ' '
    grep '"final":true' "$T/$1" | grep -o '"\(test_loss\|accuracy\|r2\)":[^,}]*' | tr '\n' ' '
}

for preset in iris wine; do
    run race "$preset" --optimizers sgd,adam,adadelta --epochs 6 --json
    expect_rc 0
    expect_err_lines 0
    [ "$(grep -c '"epoch":' "$T/out")" -eq 18 ] && [ "$(grep -c '"final":true' "$T/out")" -eq 3 ]
    check $? "$preset: expected 18 epoch lines and 3 final lines"
    cp "$T/out" "$T/race"
    for opt in sgd adam adadelta; do
        grep "^{\"optimizer\":\"$opt\"," "$T/race" | sed 's/^{"optimizer":"[a-z]*",/{/' >"$T/race.$opt"
        lr=$(grep '"final":true' "$T/race.$opt" | grep -o '"lr":[^,}]*' | cut -d: -f2)
        [ -n "$lr" ]
        check $? "$preset $opt: no lr in the race's final line"
        run train "$preset" --epochs 6 --json --set "training.optimizer={\"name\":\"$opt\",\"learning_rate\":$lr}"
        expect_rc 0
        cp "$T/out" "$T/alone.$opt"
        a=$(losses "race.$opt") b=$(losses "alone.$opt")
        [ -n "$a" ] && [ "$a" = "$b" ]
        check $? "$preset $opt: the race's numbers differ from the run alone:
    race:  $a
    alone: $b"
    done
done

# The default race in text mode: the eight optimizers' table.
run race iris --epochs 3
expect_rc 0
expect_err_lines 0
for opt in sgd momentum nesterov rmsprop adam adamw adagrad adadelta; do
    grep -q "^$opt " "$T/out"
    check $? "the race table lacks a row for $opt"
done

# A cosine schedule with t_max 0 spans the run's epochs however they are set (--epochs 6, in a race
# too): torch's CosineAnnealingLR(T_max=6) from 0.03, printed with 6 digits; the race's sgd gives the
# numbers of that run.
printf '{"dataset": {"source": "iris"}, "training": {"schedule": {"name": "cosine"}}}\n' >cosine.json
run train cosine.json --epochs 6 --json
expect_rc 0
lrs=$(grep '"epoch":' "$T/out" | grep -o '"lr":[^,}]*' | cut -d: -f2 | tr '\n' ' ')
[ "$lrs" = "0.03 0.0279904 0.0225 0.015 0.0075 0.00200962 " ]
check $? "cosine learning rates over 6 epochs: $lrs"
cp "$T/out" "$T/alone.cosine"
run race cosine.json --optimizers sgd:0.03 --epochs 6 --json
expect_rc 0
sed 's/^{"optimizer":"[a-z:0-9.]*",/{/' "$T/out" >"$T/race.cosine"
a=$(losses race.cosine) b=$(losses alone.cosine)
[ -n "$a" ] && [ "$a" = "$b" ]
check $? "cosine: the race's numbers differ from the run alone:
    race:  $a
    alone: $b"

finish
