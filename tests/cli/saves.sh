#!/usr/bin/env bash
# saves.sh NNTERM — model saves are atomic (a file with no name, or a temporary, in the target's
# folder, flushed, then named or renamed): when the write fails (file-size limit, missing folder)
# the run exits 1 with one line naming the file, the old model is unchanged byte for byte, and no
# temporary file is left behind. Issue 11: a save through a symbolic link replaces the link's
# target; a FIFO, socket or device is refused (exit 1), and so is the preset being trained or one of
# its data files; a save killed (SIGKILL) or signalled (SIGINT twice, SIGHUP, SIGTERM, SIGXFSZ)
# half-way leaves nothing behind.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh" "$@"

mkdir -p "$T/models"
m=$T/models/m.json

# listing DIR: the folder's entries, hidden ones included
listing() { ls -A "$1" | tr '\n' ' '; }

run train iris --epochs 2 --quiet --save "$m"
expect_rc 0
expect_err_lines 0
[ -s "$m" ] && grep -q '"nnterm-model"' "$m"
check $? "no model written"
cp "$m" "$T/m.orig"
size=$(wc -c <"$m")
[ "$size" -gt 4096 ]
check $? "the model ($size bytes) is too small for the 2 KB write limit below to bite"

# A file-size limit of 2 KB (ulimit -f counts 1 KB blocks) with SIGXFSZ ignored: write() fails
# with EFBIG part-way through the model. stdout goes through a pipe, which the limit does not touch.
label="train iris --save m.json under ulimit -f 2"
( trap '' XFSZ; ulimit -f 2; exec "$NNTERM" train iris --epochs 3 --seed 7 --json --save "$m" ) 2>"$T/err" | cat >"$T/out"
rc=${PIPESTATUS[0]}
expect_rc 1
expect_err_lines 1
expect_err_has "m.json"
cmp -s "$m" "$T/m.orig"
check $? "the old model changed"
[ "$(listing "$T/models")" = "m.json " ]
check $? "left behind in the folder: $(listing "$T/models")"
tail -n 1 "$T/out" | grep -q '"final":true'
check $? "no final report before the failed save"

# The same limit when there is no old model: nothing at all is left.
rm -f "$m"
( trap '' XFSZ; ulimit -f 2; exec "$NNTERM" train iris --epochs 1 --quiet --save "$m" ) >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err_lines 1
[ -z "$(listing "$T/models")" ]
check $? "left behind in the folder: $(listing "$T/models")"
cp "$T/m.orig" "$m"

# A folder that does not exist: refused before the training.
run train iris --epochs 1 --quiet --save "$T/nowhere/m.json"
expect_rc 1
expect_err_lines 1
expect_err_has "nowhere/m.json: cannot save into $T/nowhere: No such file or directory"
[ ! -s "$T/out" ]
check $? "it trained before refusing the path"
[ ! -e "$T/nowhere" ]
check $? "the missing folder was created"

# A path that is a directory.
run train iris --epochs 1 --quiet --save "$T/models"
expect_rc 1
expect_err_lines 1
expect_err_has "models"
[ "$(listing "$T/models")" = "m.json " ] && cmp -s "$m" "$T/m.orig"
check $? "the folder changed: $(listing "$T/models")"

# And a save that works replaces the old model in one piece.
run train iris --epochs 3 --seed 7 --quiet --save "$m"
expect_rc 0
! cmp -s "$m" "$T/m.orig" && grep -q '"nnterm-model"' "$m" && [ "$(listing "$T/models")" = "m.json " ]
check $? "the new model did not replace the old one cleanly: $(listing "$T/models")"
python3 -c 'import json, sys; f = json.load(open(sys.argv[1]))["features"]; print(",".join(f)); print(",".join(["1"] * len(f)))' "$m" >rows.csv
run predict "$m" rows.csv
expect_rc 0
[ "$(grep -c '' "$T/out")" -ge 2 ]
check $? "the new model does not predict"

# --- issue 11: what a save may replace ---

# A symbolic link: its target (in another folder) gets the model, the link stays a link.
mkdir "$T/real" "$T/links"
cp "$T/m.orig" "$T/real/m.json"
ln -s ../real/m.json "$T/links/m.json"
run train iris --epochs 3 --seed 7 --quiet --save "$T/links/m.json"
expect_rc 0
[ -L "$T/links/m.json" ]
check $? "the symbolic link was replaced by a regular file"
! cmp -s "$T/real/m.json" "$T/m.orig" && grep -q '"nnterm-model"' "$T/real/m.json"
check $? "the link's target still holds the old model"
[ "$(listing "$T/real")" = "m.json " ] && [ "$(listing "$T/links")" = "m.json " ]
check $? "left behind: real: $(listing "$T/real") links: $(listing "$T/links")"
# a dangling link: its target is created
ln -s ../real/new.json "$T/links/new.json"
run train iris --epochs 1 --quiet --save "$T/links/new.json"
expect_rc 0
[ -L "$T/links/new.json" ] && [ -f "$T/real/new.json" ] && grep -q '"nnterm-model"' "$T/real/new.json"
check $? "a dangling link's target was not created: $(listing "$T/real")"

# Not regular files: refused with exit 1 before any training, and left as they were.
mkfifo "$T/fifo.json"
ln -s fifo.json "$T/to-fifo.json"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/sock.json"
for f in fifo.json to-fifo.json sock.json; do
    label="train iris --save $f"
    timeout 60 "$NNTERM" train iris --epochs 1 --save "$T/$f" >"$T/out" 2>"$T/err"
    rc=$?
    expect_rc 1
    expect_err_lines 1
    expect_err_has "$f: not saved: it is a"
    [ ! -s "$T/out" ]
    check $? "it trained before refusing the path"
done
[ -p "$T/fifo.json" ] && [ -L "$T/to-fifo.json" ] && [ -S "$T/sock.json" ]
check $? "a FIFO, a link to it or a socket was replaced"
# A device: a copy of /dev/null made here. Only once the copy is known to be refused is /dev/null
# itself tried, so this test cannot replace a system file whatever the code under test does.
if mknod "$T/null" c 1 3 2>/dev/null; then
    run train iris --epochs 1 --quiet --save "$T/null"
    expect_rc 1
    expect_err_has "a character device, not a regular file"
    [ -c "$T/null" ]
    check $? "the device node was replaced"
    if [ -c "$T/null" ] && [ "$rc" -eq 1 ]; then
        run train iris --epochs 1 --quiet --save /dev/null
        expect_rc 1
        [ -c /dev/null ]
        check $? "/dev/null is no longer a device"
    fi
else
    echo "skipped the device case: mknod is not allowed here (not root?)"
fi

# The preset being trained and its data files: refused (exit 1, before training), however spelled.
mkdir "$T/p"
python3 - "$T/p" <<'PY'
import struct, sys
d = sys.argv[1]
with open(f"{d}/data.csv", "w") as f:
    f.write("a,b,label\n")
    for i in range(60):
        f.write(f"{i % 7},{(i * 3) % 5},{'xy'[i % 2]}\n")
with open(f"{d}/self.json", "w") as f:
    f.write('{"name": "self", "dataset": {"source": "csv", "path": "data.csv", "label": "label"}, '
            '"training": {"epochs": 2}}\n')
n = 40
with open(f"{d}/img.idx", "wb") as f:
    f.write(struct.pack(">IIII", 0x803, n, 2, 2) + bytes((i * 37) % 256 for i in range(n * 4)))
with open(f"{d}/lab.idx", "wb") as f:
    f.write(struct.pack(">II", 0x801, n) + bytes(i % 2 for i in range(n)))
with open(f"{d}/idx.json", "w") as f:
    f.write('{"name": "idx", "dataset": {"source": "idx", "images": "img.idx", "labels": "lab.idx"}, '
            '"training": {"epochs": 2}}\n')
PY
cp -p "$T/p/self.json" "$T/self.orig"
cp -p "$T/p/data.csv" "$T/data.orig"
cp -p "$T/p/img.idx" "$T/img.orig"
ln "$T/p/data.csv" "$T/p/hard.csv"
ln -s data.csv "$T/p/soft.csv"
refused() {   # refused PRESET SAVE NEEDLE
    run train "$1" --save "$2"
    expect_rc 1
    expect_err_lines 1
    expect_err_has "not saved: it would replace $3"
    [ ! -s "$T/out" ]
    check $? "it trained before refusing --save $2"
}
refused "$T/p/self.json" "$T/p/self.json" "the preset being trained"
refused "$T/p/self.json" "$T/p/data.csv" "the preset's data (dataset.path: data.csv)"
refused "$T/p/self.json" "$T/p/hard.csv" "the preset's data"
refused "$T/p/self.json" "$T/p/soft.csv" "the preset's data"
refused "$T/p/self.json" "$T/p/../p/./data.csv" "the preset's data"
refused "$T/p/idx.json" "$T/p/img.idx" "the preset's data (dataset.images"
refused "$T/p/idx.json" "$T/p/lab.idx" "the preset's data (dataset.labels"
cmp -s "$T/p/self.json" "$T/self.orig" && cmp -s "$T/p/data.csv" "$T/data.orig" && cmp -s "$T/p/img.idx" "$T/img.orig"
check $? "the preset or its data changed"
run train "$T/p/self.json" --quiet --save "$T/p/model.json"
expect_rc 0
run train "$T/p/idx.json" --quiet --save "$T/p/idx-model.json"
expect_rc 0
[ "$(listing "$T/p")" = "data.csv hard.csv idx-model.json idx.json img.idx lab.idx model.json self.json soft.csv " ]
check $? "the preset's folder: $(listing "$T/p")"

# --- issue 11: a save that is killed or signalled half-way leaves nothing behind ---
# A 2-1024-1024-2 network: a 15 MB model, whose save takes long enough to be caught. catch_save.py
# stops the process inside the save (a file with no name, or NAME.tmp.*, open in the folder), sends
# the signals there and lets it go on.
mkdir "$T/big"
printf '%s\n' '{"name": "big", "dataset": {"source": "xor", "samples": 64},' \
    ' "model": {"layers": [{"units": 1024}, {"units": 1024}, {"activation": "softmax"}]},' \
    ' "training": {"epochs": 1, "batch_size": 64}}' >"$T/big.json"
run train "$T/big.json" --quiet --threads 1 --save "$T/big/m.json"
expect_rc 0
cp "$T/big/m.json" "$T/big.orig"
# catch ACTION EPOCHS: runs the big training with --save big/m.json under catch_save.py (up to 5
# tries if the save was over before it was seen); sets rc
catch() {
    local i
    label="train big.json --save, $1 during the save"
    for i in 1 2 3 4 5; do
        python3 "$here/catch_save.py" "$T/big" m.json "$1" "$T/out" "$T/err" \
            "$NNTERM" train "$T/big.json" --epochs "$2" --json --threads 1 --save "$T/big/m.json" >/dev/null
        rc=$?
        [ "$rc" -ne 99 ] && return 0
        cp "$T/big.orig" "$T/big/m.json"
    done
    check 1 "the save was never caught in progress"
}
unchanged() {
    [ "$(listing "$T/big")" = "m.json " ]
    check $? "left behind: $(listing "$T/big")"
    cmp -s "$T/big/m.json" "$T/big.orig"
    check $? "the old model changed"
}
catch KILL 1
expect_rc 137
unchanged
catch INT:INT 100000
expect_rc 130
expect_err_has "interrupted again"
unchanged
catch TERM:INT 100000
expect_rc 130
unchanged
# a first SIGHUP or SIGTERM during the save lets it finish: the new model, whole, and no temporary
for s in HUP:129 TERM:143; do
    cp "$T/big.orig" "$T/big/m.json"
    catch "${s%:*}" 2
    expect_rc "${s#*:}"
    [ "$(listing "$T/big")" = "m.json " ]
    check $? "left behind: $(listing "$T/big")"
    ! cmp -s "$T/big/m.json" "$T/big.orig" && python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/big/m.json"
    check $? "the model saved after SIG${s%:*} is not the new one, whole"
done
# SIGXFSZ (a file-size limit, not ignored) kills the process in the middle of the write
cp "$T/big.orig" "$T/big/m.json"
label="train big.json --save under ulimit -f 4096, SIGXFSZ not ignored"
( ulimit -f 4096; exec "$NNTERM" train "$T/big.json" --quiet --threads 1 --save "$T/big/m.json" ) >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 153 ]
check $? "expected death by SIGXFSZ (153)"
unchanged

finish
