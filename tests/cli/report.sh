#!/usr/bin/env bash
# report.sh NNTERM — `nnterm train PRESET --report DIR` and `nnterm report MODEL.json --out DIR`:
# the files each writes; every SVG parses as XML (xmllint); every PNG is a PNG of the figure's size;
# history.csv has the --json epoch objects' fields and numbers, row for row (one run with both);
# report.pdf is one A4 page whose raster (pdftoppm) shows the train curve's blue and the boundary's
# class colours; a model's report has no curves and says so; a run record's report (issue 15) is the
# re-run's, with the record's figures, and says when they differ; bad folders and models are one-line errors.
. "$(dirname "$0")/lib.sh" "$@"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
for tool in xmllint pdftoppm pdfinfo pdftotext; do
    if ! command -v "$tool" >/dev/null; then
        echo "report.sh: $tool is missing (tools/bootstrap --test installs libxml2-utils and poppler-utils)"
        exit 1
    fi
done

# png_size FILE: "W H" from the PNG header
png_size() {
    "$PY" -c 'import struct,sys
d=open(sys.argv[1],"rb").read(24)
assert d[:8]==b"\x89PNG\r\n\x1a\n" and d[12:16]==b"IHDR", "not a PNG"
print(*struct.unpack(">II", d[16:24]))' "$1"
}

# colour_count PPM R G B TOL: pixels of a binary PPM (P6) within TOL of the colour in every channel
colour_count() {
    "$PY" - "$@" <<'EOF'
import sys
path, r, g, b, tol = sys.argv[1], *map(int, sys.argv[2:6])
data = open(path, "rb").read()
fields, pos = [], 0
while len(fields) < 4:
    while data[pos:pos + 1].isspace():
        pos += 1
    end = pos
    while not data[end:end + 1].isspace():
        end += 1
    fields.append(data[pos:end])
    pos = end
pos += 1
assert fields[0] == b"P6", fields[0]
w, h = int(fields[1]), int(fields[2])
px = data[pos:pos + 3 * w * h]
n = sum(1 for i in range(0, len(px), 3)
        if abs(px[i] - r) <= tol and abs(px[i + 1] - g) <= tol and abs(px[i + 2] - b) <= tol)
print(n)
EOF
}

# --- train --report, with --json from the same run ----------------------------------------------
run train xor --epochs 6 --set training.regularization.method=l2 --set training.regularization.lambda=0.001 \
    --json --report rep
expect_rc 0
expect_err_lines 0
for f in history.csv loss.svg loss.png confusion.svg confusion.png boundary.png network.svg report.pdf; do
    [ -s "rep/$f" ]
    check $? "rep/$f was not written"
done
[ "$(ls rep | wc -l)" -eq 8 ]
check $? "rep holds other files than the eight: $(ls rep | tr '\n' ' ')"
! grep -q 'report written' "$T/out"
check $? "--json output got a line that is not JSON"
for f in rep/*.svg; do
    xmllint --noout "$f" 2>"$T/xml"
    check $? "$f does not parse as XML: $(head -c 300 "$T/xml")"
    grep -q '<svg' "$f"
    check $? "$f has no svg element"
done
[ "$(png_size rep/loss.png)" = "900 520" ]
check $? "loss.png is $(png_size rep/loss.png), not 900 520"
[ "$(png_size rep/confusion.png)" = "960 520" ]
check $? "confusion.png is $(png_size rep/confusion.png), not 960 520"
[ "$(png_size rep/boundary.png)" = "840 680" ]
check $? "boundary.png is $(png_size rep/boundary.png), not 840 680"

# history.csv: the header is the epoch objects' keys in order, each row their values
"$PY" - "$T/out" rep/history.csv >"$T/cmp" 2>&1 <<'EOF'
import csv, json, sys
epochs = [json.loads(l) for l in open(sys.argv[1]) if '"epoch"' in l]
rows = list(csv.reader(open(sys.argv[2])))
assert rows[0] == list(epochs[0].keys()), (rows[0], list(epochs[0].keys()))
assert len(rows) == len(epochs) + 1 == 7, len(rows)
for row, obj in zip(rows[1:], epochs):
    for cell, (key, value) in zip(row, obj.items()):
        if value is None:
            assert cell == "", (key, cell)
        else:
            assert float(cell) == value, (key, cell, value)
print("ok")
EOF
[ "$(cat "$T/cmp")" = ok ]
check $? "history.csv and --json differ: $(head -c 600 "$T/cmp")"

# report.pdf: one A4 page; its raster shows the train curve's blue and both classes' colours
pdfinfo rep/report.pdf >"$T/info" 2>&1
grep -q '^Pages: *1$' "$T/info" && grep -q 'Page size: *595.* x 841.* pts (A4)' "$T/info"
check $? "report.pdf is not one A4 page: $(tr '\n' ' ' <"$T/info")"
pdftoppm -r 110 rep/report.pdf "$T/page" && [ -s "$T/page-1.ppm" ]
check $? "pdftoppm could not render report.pdf"
blue=$(colour_count "$T/page-1.ppm" 0 114 178 14)
orange=$(colour_count "$T/page-1.ppm" 230 159 0 14)
purple=$(colour_count "$T/page-1.ppm" 204 121 167 14)
[ "$blue" -gt 300 ] && [ "$orange" -gt 300 ] && [ "$purple" -gt 20 ]
check $? "report.pdf's raster lacks the curve and class colours: blue $blue, orange $orange, purple $purple"

# text output names the folder and the files
run train moons --epochs 2 --report rep2
expect_rc 0
expect_out_has "report written to rep2: history.csv, loss.svg, loss.png, confusion.svg, confusion.png, boundary.png, network.svg, report.pdf"
# again into the same folder: replaced, not refused
run train moons --epochs 2 --report rep2 --quiet
expect_rc 0
expect_out_has "report written to rep2"

# regression: predicted against actual is fit.svg/png; the boundary is the fitted curve
run train sine --epochs 3 --report reg
expect_rc 0
for f in history.csv loss.svg loss.png fit.svg fit.png boundary.png network.svg report.pdf; do
    [ -s "reg/$f" ]
    check $? "reg/$f was not written"
done
[ ! -e reg/confusion.png ]
check $? "a regression report has confusion.png"
[ "$(png_size reg/fit.png)" = "660 640" ]
check $? "fit.png is $(png_size reg/fit.png), not 660 640"
grep -q '^epoch,train_loss,val_loss,test_loss,train_r2,val_r2,test_r2,lr,seconds,eval_seconds$' reg/history.csv
check $? "the regression history.csv header: $(head -n 1 reg/history.csv)"

# more than two features: no boundary, as in the trainer until two are chosen
run train iris --epochs 2 --report iris-rep --save iris-model.json
expect_rc 0
[ ! -e iris-rep/boundary.png ] && [ -s iris-rep/confusion.svg ] && [ -s iris-rep/report.pdf ]
check $? "iris's report: $(ls iris-rep | tr '\n' ' ')"

# --- nnterm report MODEL.json --out DIR -----------------------------------------------------------
run report iris-model.json --out frommodel
expect_rc 0
expect_out_has "no history.csv and no loss curves"
for f in confusion.svg confusion.png network.svg report.pdf; do
    [ -s "frommodel/$f" ]
    check $? "frommodel/$f was not written"
done
[ ! -e frommodel/history.csv ] && [ ! -e frommodel/loss.png ]
check $? "a model's report has a history: $(ls frommodel | tr '\n' ' ')"
# the page says what it shows: the model's weights, and no curves
pdftotext frommodel/report.pdf "$T/page.txt"
grep -q "the model's weights" "$T/page.txt" && grep -q "no loss curves" "$T/page.txt"
check $? "the model's page does not say it shows the model's weights without curves: $(head -c 400 "$T/page.txt")"

# --- nnterm report RECORD.json --out DIR ----------------------------------------------------------
# the record's preset and seed run again: every file of train --report, the record's figures
run train xor --epochs 6 --record recs --quiet
expect_rc 0
rec=$(ls recs/*.json)
run report "$rec" --out fromrec
expect_rc 0
expect_err_lines 0
expect_out_has "the figures agree with the record"
for f in history.csv loss.svg loss.png confusion.svg confusion.png boundary.png network.svg report.pdf; do
    [ -s "fromrec/$f" ]
    check $? "fromrec/$f was not written"
done
for f in fromrec/*.svg; do
    xmllint --noout "$f" 2>"$T/xml"
    check $? "$f does not parse as XML: $(head -c 300 "$T/xml")"
done
[ "$(png_size fromrec/loss.png)" = "900 520" ] && [ "$(png_size fromrec/boundary.png)" = "840 680" ]
check $? "a record's loss.png or boundary.png has the wrong size: $(png_size fromrec/loss.png), $(png_size fromrec/boundary.png)"
"$PY" - "$rec" fromrec/history.csv >"$T/cmp" 2>&1 <<'EOF2'
import csv, json, sys
epochs = json.load(open(sys.argv[1]))["epochs"]
rows = list(csv.reader(open(sys.argv[2])))
assert rows[0] == list(epochs[0].keys()), (rows[0], list(epochs[0].keys()))
assert len(rows) == len(epochs) + 1 == 7, len(rows)
for row, obj in zip(rows[1:], epochs):
    for cell, (key, value) in zip(row, obj.items()):
        assert (cell == "") if value is None else float(cell) == value, (key, cell, value)
print("ok")
EOF2
[ "$(cat "$T/cmp")" = ok ]
check $? "a record's history.csv differs from the record (timing included): $(head -c 600 "$T/cmp")"
pdftoppm -r 110 fromrec/report.pdf "$T/rpage" && [ -s "$T/rpage-1.ppm" ]
check $? "pdftoppm could not render the record's report.pdf"
blue=$(colour_count "$T/rpage-1.ppm" 0 114 178 14)
orange=$(colour_count "$T/rpage-1.ppm" 230 159 0 14)
[ "$blue" -gt 300 ] && [ "$orange" -gt 300 ]
check $? "the record's report.pdf lacks the curve and class colours: blue $blue, orange $orange"
# the same pictures as train --report of that run (the boundary, byte for byte)
run train xor --epochs 6 --report fromtrain --quiet
cmp -s fromrec/boundary.png fromtrain/boundary.png
check $? "the record's boundary.png is not that of train --report of the same run"
# a record whose figures were edited: the report of the re-run, what differs, exit 1
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); r["epochs"][2]["val_loss"] += 0.5; json.dump(r, open("edited.json","w"), indent=1)' "$rec"
run report edited.json --out fromedited
expect_rc 1
expect_err_has "edited.json: the re-run differs from the record at epoch 3 val_loss"
[ -s fromedited/report.pdf ]
check $? "the edited record's report was not written"
# a run from a model's weights cannot be made again
run train xor --epochs 3 --save xm.json --quiet
run train xm.json --epochs 2 --record wrecs --quiet
expect_rc 0
run report wrecs/*.json --out fromw
expect_rc 2
expect_err_has "the run began from the weights of xm.json, not from its seed"
run verify wrecs/*.json
expect_rc 1
expect_out_has "the run began from the weights of xm.json"

# --- errors ---------------------------------------------------------------------------------------
touch afile
run train iris --report afile
expect_rc 1
expect_err_lines 1
expect_err_has "afile: not a folder"
! grep -q 'epoch' "$T/out"
check $? "a bad --report folder was refused only after training"
run train iris --report no/such/dir
expect_rc 1
expect_err_has "its folder no/such does not exist"
run train iris --report
expect_rc 2
expect_err_has "--report needs a folder name"
bad "usage: nnterm report MODEL.json --out DIR" report iris-model.json
bad "usage: nnterm report MODEL.json --out DIR" report --out x
bad "unknown option '--bogus'" report iris-model.json --out x --bogus
echo '{"format":"nnterm-model"' >broken.json
bad "broken.json" report broken.json --out x
[ ! -e x ]
check $? "a report of a broken model left a folder"
finish
