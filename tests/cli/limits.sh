#!/usr/bin/env bash
# limits.sh NNTERM — sizes that come from a preset or a file are checked before anything is
# allocated: a network or dataset too large for memory is bad input (exit 2, one line naming what
# is too large), never a crash or an out-of-memory kill. Under ASan a huge malloc would abort.
. "$(dirname "$0")/lib.sh" "$@"

# A preset with 8 hidden layers of 65536 units: 7 x 65536^2 weights (about 3e10, 120 GB).
layers=""
for i in 1 2 3 4 5 6 7 8; do layers="$layers{\"units\": 65536, \"activation\": \"relu\"}, "; done
printf '{"dataset": {"source": "iris"}, "model": {"layers": [%s{"activation": "softmax"}]}}\n' "$layers" >wide.json
bad "wide.json" train wide.json --epochs 1
run check wide.json   # check validates the preset alone: it is well formed
expect_rc 0

# 8 layers of 40000 units: each matrix (1.6e9 floats) is indexable, the total (1.1e10, 45 GB) is not
# to be had: a clean error before the allocation, not an allocator abort (ASan) or an OOM kill.
layers=""
for i in 1 2 3 4 5 6 7 8; do layers="$layers{\"units\": 40000}, "; done
printf '{"dataset": {"source": "iris"}, "model": {"layers": [%s{"activation": "softmax"}]}}\n' "$layers" >deep.json
bad "deep.json" train deep.json --epochs 1

# Two layers of 46000 units: 2.1e9 weights, just under the per-matrix cap, 8.5 GB per copy of the
# parameters and the trainer keeps several: more than most machines have. It must fail cleanly, never
# run into the OOM killer. The run is fenced so a missing check cannot take the machine down: plain
# builds get an 8 GB address-space limit, ASan builds refuse single allocations over 4 GB (and return
# NULL instead of aborting), TSan builds skip it.
printf '{"dataset": {"source": "iris"}, "model": {"layers": [{"units": 46000}, {"units": 46000}, {"activation": "softmax"}]}}\n' >square.json
case ${NN_SANITIZE:-none} in
*thread*) ;;
*)
    label="nnterm train square.json (fenced: ulimit -v 8 GB or ASan max_allocation_size_mb=4096)"
    ( if [ "${NN_SANITIZE:-none}" = none ]; then ulimit -v 8388608; fi
      export ASAN_OPTIONS="${ASAN_OPTIONS:-}:allocator_may_return_null=1:max_allocation_size_mb=4096"
      unset MALLOC_PERTURB_   # meson sets it: glibc would then fill (touch) every big malloc
      exec "$NNTERM" train square.json --epochs 1 --threads 1 ) >"$T/out" 2>"$T/err"
    rc=$?
    # ASan's own note about the refused allocation is not nnterm's output
    grep -v '^==[0-9]*==WARNING: AddressSanitizer failed to allocate' "$T/err" >"$T/err2"
    mv "$T/err2" "$T/err"
    expect_rc 2
    expect_err_lines 1
    expect_err_has "square.json"
    ;;
esac

# Files that never end: a preset and a CSV that are /dev/zero. Reading must stop with a message
# (a size limit, or "not a regular file"), not grow until memory runs out. Fenced as above
# (1 GB) so that a missing limit fails quickly instead of waking the OOM killer.
printf '{"dataset": {"source": "csv", "path": "/dev/zero"}}\n' >zero.json
case ${NN_SANITIZE:-none} in
*thread*) ;;
*)
    for args in "/dev/zero" "zero.json"; do
        label="nnterm train $args (fenced: ulimit -v 1 GB or ASan max_allocation_size_mb=1024)"
        ( if [ "${NN_SANITIZE:-none}" = none ]; then ulimit -v 1048576; fi
          export ASAN_OPTIONS="${ASAN_OPTIONS:-}:allocator_may_return_null=1:max_allocation_size_mb=1024"
          exec "$NNTERM" train $args --epochs 1 --threads 1 ) >"$T/out" 2>"$T/err"
        rc=$?
        grep -v '^==[0-9]*==WARNING: AddressSanitizer failed to allocate' "$T/err" >"$T/err2"
        mv "$T/err2" "$T/err"
        expect_rc 2
        expect_err_lines 1
        expect_err_has "/dev/zero"
    done
    ;;
esac

# The same through --set on a built-in preset.
bad "iris" train iris --epochs 1 --set 'model.layers.0={"units": 65536}' --set 'model.layers.1={"units": 65536}' \
    --set 'model.layers.2={"units": 65536}' --set 'model.layers.3={"units": 65536}' \
    --set 'model.layers.4={"units": 65536}' --set 'model.layers.5={"activation": "softmax"}'

# IDX headers claiming 2^31 images (and 2^31-1: more than the file holds), plain and gzip.
python3 - <<'PY'
import gzip, struct
for name, n in (('big', 0x80000000), ('max', 0x7fffffff)):
    img = struct.pack('>IIII', 0x803, n, 28, 28) + bytes(28 * 28 * 2)
    open(name + '-images', 'wb').write(img)
    open(name + '-images.gz', 'wb').write(gzip.compress(img, mtime=0))
    open(name + '-labels', 'wb').write(struct.pack('>II', 0x801, n) + bytes(2))
open('labels', 'wb').write(struct.pack('>II', 0x801, 2) + bytes(2))
open('images', 'wb').write(struct.pack('>IIII', 0x803, 2, 28, 28) + bytes(28 * 28 * 2))
# dimensions whose product overflows 32 and 64 bits
open('dims-images', 'wb').write(struct.pack('>IIII', 0x803, 0x7fffffff, 0xffffffff, 0xffffffff) + bytes(16))
PY
for f in big-images big-images.gz max-images max-images.gz dims-images; do
    printf '{"dataset": {"source": "idx", "images": "%s", "labels": "labels"}}\n' "$f" >"idx-$f.json"
    bad "$f" train "idx-$f.json" --epochs 1
done
for f in big-labels max-labels; do
    printf '{"dataset": {"source": "idx", "images": "images", "labels": "%s"}}\n' "$f" >"idx-$f.json"
    bad "$f" train "idx-$f.json" --epochs 1
done

# A CSV with a giant field count: 70000 features into 65536 units is 4.6e9 weights (over 2^32).
python3 - <<'PY'
n = 70000
with open('wide.csv', 'w') as f:
    f.write(','.join('f%d' % i for i in range(n)) + ',label\n')
    row = ','.join(['0'] * n)
    for i in range(10):
        f.write(row + ',' + 'ab'[i % 2] + '\n')
PY
printf '{"dataset": {"source": "csv", "path": "wide.csv"}, "model": {"layers": [{"units": 65536}, {"activation": "softmax"}]}}\n' >widecsv.json
bad "widecsv.json" train widecsv.json --epochs 1

# A CSV with a million fields and a dozen rows must cost memory in proportion to its size (tens of
# MB), not a preallocation of rows x fields: trains under a 2 GB address-space limit. (Sanitizer
# builds reserve terabytes of shadow memory, so the limit applies to plain builds only.)
python3 - <<'PY'
n = 1000000
with open('million.csv', 'w') as f:
    f.write(','.join('f%d' % i for i in range(n)) + ',label\n')
    row = ','.join(['0'] * n)
    for i in range(12):
        f.write(row + ',' + 'ab'[i % 2] + '\n')
PY
printf '{"dataset": {"source": "csv", "path": "million.csv"}, "model": {"layers": [{"units": 2}, {"activation": "softmax"}]}}\n' >million.json
label="nnterm train million.json (ulimit -v 2 GB unless sanitized)"
( if [ "${NN_SANITIZE:-none}" = none ]; then ulimit -v 2097152; fi
  exec "$NNTERM" train million.json --epochs 1 --quiet --threads 1 ) >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
expect_err_lines 0
rm -f million.csv

finish
