#!/bin/sh
# bench/run.sh — builds a release tree (build-bench/) and runs nnterm-bench: GEMM GFLOP/s at the
# MLP's shapes on 1 and 2 threads, Fashion-MNIST training and evaluation samples/s, the time of one
# training step by phase, `nnterm train iris` as a whole process, and PyTorch side by side where
# python3-torch is installed (see ../shared/bench/README.md for the fair setup).
#
#   bench/run.sh                      everything (about 2-4 minutes with PyTorch)
#   bench/run.sh --only gemm          one section: gemm | train | profile | iris | peer (repeatable)
#   bench/run.sh --rounds 5           more repetitions (medians are printed)
#
# Run it on an otherwise idle machine: every figure is a median, and ratios are measured side by
# side in the same run, but other processes on the cores still move the absolute numbers.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$root" --buildtype=release -Dtests=false >/dev/null
else
    meson setup --reconfigure "$build" "$root" >/dev/null
fi
ninja -C "$build" bench/nnterm-bench >/dev/null
ninja -C "$build" src/nnterm >/dev/null 2>&1 || echo "bench/run.sh: src/nnterm did not build; the iris timing will be skipped" >&2
peer="$root/../shared/bench/peer_torch.py"
exec "$build/bench/nnterm-bench" --nnterm "$build/src/nnterm" --peer "$peer" "$@"
