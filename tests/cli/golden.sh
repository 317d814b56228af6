#!/usr/bin/env bash
# golden.sh NNTERM [--update]: the --json output of every built-in preset and of the race, with the
# timing fields removed, must be byte-identical to tests/golden/*.jsonl: a refactor changes no number.
# --update rewrites the golden files from NNTERM (only when a change of numbers is intended).
# Timing fields are removed; everything else (every loss, accuracy, rate and metric, to the printed
# digit) must match. fashion-mnist runs one epoch, and only where dataset-fashion-mnist is installed.
set -u
G=$(cd "$(dirname "$0")/../golden" && pwd)
update=${2:-}
. "$(dirname "$0")/lib.sh" "$1"
strip() { sed -E 's/,"(seconds|eval_seconds)":[-0-9.e+]+//g'; }
one() {   # one NAME ARGS...: runs nnterm ARGS --json, compares with $G/NAME.jsonl
    local name=$1; shift
    label="nnterm $*"
    "$NNTERM" "$@" --json 2>"$T/err" | strip >"$T/$name.jsonl"
    if [ "$update" = --update ]; then cp "$T/$name.jsonl" "$G/$name.jsonl"; return; fi
    cmp -s "$T/$name.jsonl" "$G/$name.jsonl"
    check $? "output differs from tests/golden/$name.jsonl: $(diff "$G/$name.jsonl" "$T/$name.jsonl" | head -4)"
}
for p in $("$NNTERM" presets | awk '{print $1}'); do
    case $p in
        fashion-mnist) [ -r /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && one "$p" train "$p" --epochs 1 --threads 2 ;;
        *) one "$p" train "$p" --threads 2 ;;
    esac
done
one race-iris race iris
one race-xor race xor --epochs 30
finish
