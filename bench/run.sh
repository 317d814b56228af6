#!/bin/sh
# bench/run.sh — builds a release tree (build-bench/) and runs nnterm-bench: the peak RSS of
# `nnterm train fashion-mnist`, the FMA ceiling of the CPU, the FLOP count it uses, GEMM GFLOP/s at
# the MLP's shapes on each kernel and 1 and 2 threads, Fashion-MNIST training at batch 32, 128 and
# 512 side by side with PyTorch where python3-torch is installed (see ../shared/bench/README.md for
# the fair setup), evaluation samples/s, one training step by phase, scaling (threads, widths,
# batch sizes, rows) and `nnterm train iris` as a whole process. bench/README.md explains each.
#
#   bench/run.sh                      everything (about 3-5 minutes with PyTorch)
#   bench/run.sh --only train         one section: rss | machine | flops | gemm | train | profile |
#                                     scaling | iris (repeatable; peer = train)
#   bench/run.sh --rounds 5           more rounds (medians are printed)
#   bench/run.sh --no-peer            without PyTorch
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
# The peer lives in the shared directory next to the main checkout (../shared), or next to the
# worktrees' parent when this is a worktree (../../shared).
peer="$root/../shared/bench/peer_torch.py"
[ -f "$peer" ] || [ ! -f "$root/../../shared/bench/peer_torch.py" ] || peer="$root/../../shared/bench/peer_torch.py"
exec "$build/bench/nnterm-bench" --nnterm "$build/src/nnterm" --peer "$peer" "$@"
