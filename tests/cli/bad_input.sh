#!/usr/bin/env bash
# bad_input.sh NNTERM — bad usage and bad input: exit 2 and one line on stderr naming the file
# (a line per problem for check); a diverging run: exit 1, stderr names the epoch and the batch,
# and the final JSON line says "diverged":true.
. "$(dirname "$0")/lib.sh" "$@"

# --- usage ---
bad "which preset" train
bad "--bogus" train iris --bogus
bad "--epochs" train iris --epochs zero
bad "nope-such-preset" train nope-such-preset
bad "missing.json" train "$T/missing.json"
bad "missing.json" check "$T/missing.json"
# more usage errors: exit 2, one line naming what is wrong
bad "nope" race iris --optimizers nope
bad "presets" presets extra
# (and right: one column of titles, however long the names, e.g. lesson-learning-rate)
"$NNTERM" presets >"$T/out" 2>"$T/err"
awk '{ i = index($0, $2); if (c && i != c) bad = 1; c = i } END { exit bad || NR < 10 }' "$T/out"
check $? "nnterm presets: the titles do not start in one column"
bad "--bogus" --bogus
bad "--threads" train iris --threads 9999
bad "'0' is not max or a whole number" --pace 0 iris
bad "'fast' is not max or a whole number" --pace fast iris
bad "forever\" trains until paused" train iris --set training.epochs=forever
printf '{"dataset": {"source": "iris"}, "training": {"epochs": "forever"}}\n' >forever.json
bad "forever\" trains until paused" race forever.json
bad "--seed" train iris --seed -1
bad "--set" train iris --set noequals
bad "beta1" train iris --set training.optimizer.beta1=2
bad "beta1" train iris --set training.optimizer.name=adam --set training.optimizer.beta1=2
bad "--save" train iris --save
bad "check" check
bad "predict" predict
bad "one preset" train iris iris
bad "--epochs" train iris --epochs 99999999999999999999

# --- presets ---
printf '{"dataset": {"source": "iris"},\n "seed": 1,\n "training": {"epochs": 3,,}}\n' >broken.json
bad "broken.json:3:" train broken.json
grep -qE 'broken\.json:3:[0-9]+: ' "$T/err"
check $? "the syntax error does not give file:line:col"
bad "broken.json:3:" check broken.json
grep -qE 'broken\.json:3:[0-9]+: ' "$T/err"
check $? "the syntax error does not give file:line:col"

printf '{"dataset": {"source": "iris"}, "trainig": {}}\n' >unknown.json
bad "unknown.json" train unknown.json
expect_err_has "trainig"

bad "training.batch_size" train iris --set training.batch_size=0

printf '{"dataset": {"source": "iris"},\n "training": {"batch_size": 0, "epochs": -5},\n "model": {"layers": [{"units": 4, "activation": "zzz"}]}}\n' >three.json
run check three.json
expect_rc 2
expect_err_lines 3
expect_every_err_line_has "three.json"
expect_err_has "training.batch_size"
expect_err_has "training.epochs"
expect_err_has "model.layers.0.activation"

run check iris xor spiral
expect_rc 0
expect_err_lines 0

# --- CSV ---
printf 'a,b,label\n1,2,x\n3,4\n5,6,y\n' >ragged.csv
printf '{"dataset": {"source": "csv", "path": "ragged.csv"}}\n' >ragged.json
bad "ragged.csv" train ragged.json
expect_err_has "line 3"

printf '{"dataset": {"source": "csv", "path": "absent.csv"}}\n' >absent.json
bad "absent.csv" train absent.json

printf 'a,b,label\n1,oops,x\n3,4,y\n' >notnum.csv
printf '{"dataset": {"source": "csv", "path": "notnum.csv"}}\n' >notnum.json
bad "notnum.csv" train notnum.json
expect_err_has "line 2"

# --- IDX: truncated, plain and gzip ---
python3 - <<'PY'
import gzip, random, struct
img = struct.pack('>IIII', 0x803, 100, 28, 28) + random.Random(7).randbytes(100 * 28 * 28)
lab = struct.pack('>II', 0x801, 100) + bytes(i % 10 for i in range(100))
open('trunc-images', 'wb').write(img[:5000])
open('labels', 'wb').write(lab)
open('trunc-images.gz', 'wb').write(gzip.compress(img, mtime=0)[:20000])
open('short-images.gz', 'wb').write(gzip.compress(img[:5000], mtime=0))
open('images', 'wb').write(img)
open('trunc-labels', 'wb').write(lab[:50])
PY
for f in trunc-images trunc-images.gz short-images.gz; do
    printf '{"dataset": {"source": "idx", "images": "%s", "labels": "labels"}}\n' "$f" >"idx-$f.json"
    bad "$f" train "idx-$f.json"
done
printf '{"dataset": {"source": "idx", "images": "images", "labels": "trunc-labels"}}\n' >idx-labels.json
bad "trunc-labels" train idx-labels.json

# --- predict ---
bad "nomodel.json" predict nomodel.json ragged.csv

# --- a diverging run ---
run train iris --json --set training.optimizer.learning_rate=1e30
expect_rc 1
expect_err_lines 1
expect_err_has "epoch"
expect_err_has "batch"
tail -n 1 "$T/out" | grep -q '"final":true' && tail -n 1 "$T/out" | grep -q '"diverged":true'
check $? 'last stdout line is not a final JSON line with "diverged":true'

finish
