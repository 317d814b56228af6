#!/usr/bin/env bash
# hostile.sh NNTERM — input a security-minded tester built (issue 11, items 1, 6, 7, 8, 10, 11, 12):
# a one-class CSV, names longer than 63 bytes, rows that make a model give NaN, control characters
# and Windows-1252 bytes in labels, files that claim or would take huge memory, and the messages
# that misled. Each case is bad input (exit 2, one line naming the file and the field or line) or a
# run whose output is checked byte for byte.
. "$(dirname "$0")/lib.sh" "$@"

expect_out_lacks_byte() {   # expect_out_lacks_byte OCTAL WHAT: stdout holds no such byte
    ! LC_ALL=C grep -q "$(printf "\\$1")" "$T/out"
    check $? "stdout holds a raw $2 byte"
}
valid_utf8() {   # valid_utf8 FILE: the file is valid UTF-8
    /usr/bin/python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1" 2>/dev/null
}
csv_preset() {   # csv_preset NAME CSV [EXTRA-JSON]: NAME.json training on CSV for 2 epochs
    printf '{"dataset": {"source": "csv", "path": "%s"%s}, "training": {"epochs": 2}}\n' "$2" "${3:-}" >"$1.json"
}

# --- 1. one class: refused at load; predict safe whatever the model file says -------------------
/usr/bin/python3 - <<'PY'
import random
r = random.Random(1)
with open('one.csv', 'w') as f:
    f.write('x,y,kind\n')
    for i in range(100):
        f.write('%.4f,%.4f,a\n' % (r.random(), r.random()))
PY
csv_preset one one.csv
bad "one.csv: column 'kind': every row has the label 'a': classification needs at least 2 classes" train one.json
run train iris --quiet --save iris-model.json
expect_rc 0
/usr/bin/python3 - <<'PY'
import json
m = json.load(open('iris-model.json'))
m['classes'] = ['a']
last = m['layers'][-1]
last.update(units=1, activation='sigmoid', weights=last['weights'][:last['inputs']], biases=last['biases'][:1])
json.dump(m, open('one-class-model.json', 'w'))
PY
printf 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n' >rows.csv
bad "one-class-model.json: classes: 1 name, expected at least 2 for classification" predict one-class-model.json rows.csv

# --- 7. names whole: a model trained on a CSV predicts on that same CSV --------------------------
/usr/bin/python3 - <<'PY'
long_feature = 'F' * 100
a = 'label-' + 'L' * 70
b = 'label-' + 'L' * 69 + 'M'          # the same first 63 bytes as a
with open('long.csv', 'w') as f:
    f.write('%s,x2,class\n' % long_feature)
    for i in range(60):
        f.write('%d,%d,%s\n' % (i, i % 7, a if i % 2 else b))
PY
csv_preset long long.csv
run train long.json --quiet --save long-model.json
expect_rc 0
run predict long-model.json long.csv
expect_rc 0
expect_err_lines 0
[ "$(head -1 "$T/out" | tr ',' '\n' | grep -c '^p_label-L')" -eq 2 ]
check $? "the two long labels are not two classes in the prediction header"
[ "$(wc -l <"$T/out")" -eq 61 ]
check $? "predict on the training CSV does not give 60 rows"
printf 'x,y,x,label\n1,2,3,a\n4,5,6,b\n7,8,9,a\n' >dup.csv
csv_preset dup dup.csv
bad "dup.csv: line 1: columns 1 and 3 are both named 'x'" train dup.json
printf ',y,label\n1,2,a\n4,5,b\n7,8,a\n' >empty-name.csv
csv_preset empty-name empty-name.csv
bad "empty-name.csv: line 1: column 1 has no name" train empty-name.json

# --- 8. rows that make the model give NaN: an error naming the line ------------------------------
printf 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n\n3e38,3e38,3e38,3e38\n' >huge-rows.csv
bad "huge-rows.csv: line 4: the model's output for this row is not a finite number" predict iris-model.json huge-rows.csv
[ ! -s "$T/out" ]
check $? "predict printed rows before the error"
/usr/bin/python3 - <<'PY'
import json
m = json.load(open('iris-model.json'))
m['normalization']['scale'][0] = 1e-45
open('tiny-scale.json', 'w').write(json.dumps(m).replace('1e-45', '1e-45'))
PY
bad "tiny-scale.json: normalization.scale.0:" predict tiny-scale.json rows.csv

# --- 10. control characters and other encodings: escaped or refused, output always UTF-8 ---------
/usr/bin/python3 - <<'PY'
rows = ['x,y,label']
for i in range(40):
    lab = ['\x1b]0;pwned\x07', 'caf\u00e9 \u009b2J', 'plain,"quoted"'][i % 3]
    rows.append('%d,%d,"%s"' % (i, (i * 7) % 5, lab.replace('"', '""')))
open('esc.csv', 'w', encoding='utf-8').write('\n'.join(rows) + '\n')
open('cp1252.csv', 'wb').write('x,y,label\n1,2,tea\n3,4,caf\u00e9\n'.encode('cp1252'))
PY
csv_preset esc esc.csv
run train esc.json --save esc-model.json
expect_rc 0
expect_out_lacks_byte 033 ESC
expect_out_lacks_byte 007 BEL
expect_out_has '\x1b]0;pwned\x07'
LC_ALL=C grep -q $'\xc2\x9b' "$T/out"
[ $? -ne 0 ]
check $? "the text report holds a raw U+009B (an 8-bit CSI)"
valid_utf8 esc-model.json
check $? "the model file is not valid UTF-8"
LC_ALL=C grep -q $'\x1b' esc-model.json
[ $? -ne 0 ]
check $? "the model file holds a raw ESC"
run train esc.json --json
expect_rc 0
expect_out_lacks_byte 033 ESC
expect_out_has '"\u001b]0;pwned\u0007"'
expect_out_has '"caf'
expect_out_has ' \u009b2J"'
valid_utf8 "$T/out"
check $? "--json output is not valid UTF-8"
run predict esc-model.json esc.csv
expect_rc 0
expect_out_lacks_byte 033 ESC
expect_out_lacks_byte 007 BEL
expect_out_has 'p_\x1b]0;pwned\x07'
expect_out_has '"p_plain,""quoted"""'
csv_preset cp1252 cp1252.csv
bad "cp1252.csv: line 3: byte 0xE9 is not UTF-8" train cp1252.json
# a path with control characters in a message is escaped too
run train "$(printf 'x\033]0;pwned\007.json')"
expect_rc 2
! LC_ALL=C grep -q $'\x1b' "$T/err"
check $? "stderr holds a raw ESC"

# --- 6. small files that would take huge memory --------------------------------------------------
/usr/bin/python3 - <<'PY'
open('big-preset.json', 'w').write('[' + '0,' * (2 * 1024 * 1024) + '0]')
PY
bad "big-preset.json: file too large (4194307 bytes, more than 1024 KB, the most a preset may hold" train big-preset.json
bad "big-preset.json: file too large" check big-preset.json
# one 8192 x 4096 image in a 32 KB .gz: no 64-byte name per pixel (2.2 GB); trains in under 2 GB
/usr/bin/python3 - <<'PY'
import gzip, struct
img = struct.pack('>IIII', 0x803, 1, 8192, 4096) + bytes(8192 * 4096)
open('huge-images.gz', 'wb').write(gzip.compress(img, mtime=0, compresslevel=9))
open('huge-labels', 'wb').write(struct.pack('>II', 0x801, 1) + bytes([3]))
PY
printf '{"dataset": {"source": "idx", "images": "huge-images.gz", "labels": "huge-labels", "split": {"train": 1, "val": 0, "test": 0}}, "model": {"layers": [{"units": 1}, {}]}, "training": {"epochs": 1}}\n' >huge-idx.json
case ${NN_SANITIZE:-none} in
*thread*) ;;
*)
    label="nnterm train huge-idx.json (fenced: ulimit -v 2 GB or ASan max_allocation_size_mb=1024)"
    ( if [ "${NN_SANITIZE:-none}" = none ]; then ulimit -v 2097152; fi
      export ASAN_OPTIONS="${ASAN_OPTIONS:-}:allocator_may_return_null=1:max_allocation_size_mb=1024"
      unset MALLOC_PERTURB_
      exec "$NNTERM" train huge-idx.json --quiet --threads 1 ) >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 0
    expect_err_lines 0
    ;;
esac
# a model file of a few bytes claiming a network of gigabytes: refused, naming the file, before
# anything is allocated for it
/usr/bin/python3 - <<'PY'
import json
m = json.load(open('iris-model.json'))
m['layers'][0]['units'] = 1 << 24
json.dump(m, open('claims-huge.json', 'w'))
PY
bad "claims-huge.json: layers.0.weights: 160 numbers, expected 67108864 (4 inputs x 16777216 units)" predict claims-huge.json rows.csv

# --- 12. messages that misled --------------------------------------------------------------------
bad "builtin:iris.json: dataset.split.train: 0.001 of 150 rows leaves no row to train on" \
    train iris --set 'dataset.split={"train": 0.001, "val": 0, "test": 0.999}'
printf '{"dataset": {"source": "iris"}, "model": {"layers": [{"units": 1e+20}, {}]}}\n' >units.json
bad "units.json: model.layers.0.units: 1e+20 is out of range (0..65536)" train units.json
printf '{"dataset": {"source": "xor", "noise": 1e308}}\n' >noise.json
bad "noise.json: dataset.noise: 1e+308 is out of range [0, 1000]" train noise.json
printf '{"dataset": {"source": "iris"}, "model": {"layers": [{"units": 8, "activation": "elu", "alpha": 1e308}, {}]}}\n' >alpha.json
bad "alpha.json: model.layers.0.alpha: 1e+308 is out of range [0, 1000]" train alpha.json
printf 'a,b,c\n1,2,1\n3,4,9007199254740993\n5,6,2\n' >bigint.csv
csv_preset bigint bigint.csv ', "task": "classification"'
bad "bigint.csv: line 3, column 'c': label 9007199254740993 is too large for an integer class" train bigint.json
printf 'x;y;label\n1;2;a\n3;4;b\n' >semi.csv
csv_preset semi semi.csv
bad "semi.csv: line 1: the header has no commas but looks semicolon-separated: nnterm reads comma-separated CSV" \
    train semi.json
printf 'x\ty\tlabel\n1\t2\ta\n3\t4\tb\n' >tab.csv
csv_preset tab tab.csv
bad "tab.csv: line 1: the header has no commas but looks tab-separated" train tab.json
/usr/bin/python3 -c "open('u16.csv', 'wb').write('x,y,label\n1,2,a\n3,4,b\n'.encode('utf-16'))"
csv_preset u16 u16.csv
bad "u16.csv: the file is UTF-16 (it starts with a UTF-16 little-endian byte order mark)" train u16.json
/usr/bin/python3 -c "open('deep.json', 'w').write('[' * 5000 + ']' * 5000)"
bad "deep.json:1:1001: arrays and objects nested more than 1000 levels deep (nnterm reads JSON nested at most 1000 levels)" \
    train deep.json
printf '{"dataset": {"source": "iris"}, "model": {"layers": [{"units": 65536}, {"units": 65536}, {}]}}\n' >too-large.json
bad "too-large.json: model.layers.1:" train too-large.json
printf 'x,y\n1,0.5\n2,1e39\n3,0.25\n' >reg.csv
csv_preset reg reg.csv
bad "reg.csv: line 3, column 'y': label 1e+39 is beyond the float range" train reg.json
# a path to a file that is not a CSV (../../../etc/shadow): at most a short escaped excerpt
mkdir -p a/b/c etc
printf 'root:$y$j9T$SECRETSECRETSECRETSECRETSECRETHASHTAIL\033[2J:19000:0:99999:7:::\n' >etc/shadow
printf '{"dataset": {"source": "csv", "path": "../../../etc/shadow"}}\n' >a/b/c/p.json
bad "../../../etc/shadow: line 1: the header has one column, 'root:\$y\$j9T\$SECRETSECRETSECRETSE...'" train a/b/c/p.json
! grep -q "HASHTAIL" "$T/err"
check $? "the message quotes more than a short excerpt of the file"

finish
