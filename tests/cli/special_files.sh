#!/usr/bin/env bash
# special_files.sh NNTERM — a FIFO, device or socket named as a preset, CSV, IDX or model file
# (issue 11): refused at once with "PATH: a FIFO, not a regular file" (exit 2), never a read that
# blocks (a FIFO with no writer blocked open(); the trainer's picker froze on one) or never ends.
# Every run is under `timeout`, so a hang fails the test instead of stalling it.
. "$(dirname "$0")/lib.sh" "$@"

# special NEEDLE ARGS...: exit 2 within 60 s, one line on stderr containing NEEDLE
special() {
    local needle=$1
    shift
    label="nnterm $*"
    timeout 60 "$NNTERM" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ "$rc" -ne 124 ]
    check $? "blocked (killed after 60 s)"
    expect_rc 2
    expect_err_lines 1
    expect_err_has "$needle"
}

mkfifo zz.json fifo.csv fifo.idx fifo-model.json
python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock.json")'
ln -s zz.json link-to-fifo.json

special "zz.json: a FIFO, not a regular file" check zz.json
special "link-to-fifo.json: a FIFO, not a regular file" train link-to-fifo.json
special "sock.json" check sock.json
special "/dev/null: a character device, not a regular file" train /dev/null

printf '{"dataset": {"source": "csv", "path": "fifo.csv"}}\n' >csv.json
special "fifo.csv: a FIFO, not a regular file" train csv.json
printf '{"dataset": {"source": "idx", "images": "fifo.idx", "labels": "fifo.idx"}}\n' >idx.json
special "fifo.idx: a FIFO, not a regular file" train idx.json

"$NNTERM" train iris --epochs 1 --quiet --save m.json >/dev/null 2>&1
printf 'sepal_length,sepal_width,petal_length,petal_width\n5,3,1,0.2\n' >rows.csv
special "fifo-model.json: a FIFO, not a regular file" predict fifo-model.json rows.csv
special "fifo.csv: a FIFO, not a regular file" predict m.json fifo.csv

finish
