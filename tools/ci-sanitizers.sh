#!/usr/bin/env bash
# tools/ci-sanitizers.sh [asan] [tsan] [fuzz] — the sanitizer half of CI (issue 7); no argument: all three.
#   asan  build-asan: gcc, -Db_sanitize=address,undefined, UBSan fatal; the whole test suite, leak check on.
#   tsan  build-tsan: gcc, -Db_sanitize=thread; the worker, soak and TUI tests (suites worker, ui, e2e), and
#         the core tests that start threads (pool, matrix, trainer, race).
#   fuzz  build-fuzz: clang, -Dfuzzing=true with ASan+UBSan; each libFuzzer target for
#         NN_FUZZ_SECONDS (default 30) from its seed corpus, with memory limits (-rss_limit_mb=2048,
#         -malloc_limit_mb=512): an input of at most 16 KB that makes a parser take more is a
#         finding, like a crash. A finding fails CI and its input is kept in
#         build-fuzz/fuzz-out/<target>/ (copy it to tests/fuzz/regressions/<target>/).
# Any sanitizer report fails the step: ASan/UBSan/TSan abort the test, and the test fails.
# Build directories (build-asan, build-tsan, build-fuzz; NN_SAN_PREFIX=x- makes them x-asan ...) are
# configured once and reused. NN_CI_JOBS (default 2) sets test parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8

jobs=${NN_CI_JOBS:-2}
fuzz_seconds=${NN_FUZZ_SECONDS:-30}
pre=${NN_SAN_PREFIX:-build-}
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(asan tsan fuzz)

# halt_on_error: the first report ends the process, so the test fails; detect_leaks: LSan at exit.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:suppressions=$(cd "$(dirname "$0")" && pwd)/tsan.supp"

setup() {   # setup DIR [meson options...]: configure once, reconfigure when new files appeared
    local dir=$1
    shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}

# gcc's TSan maps its shadow at fixed addresses: with many bits of mmap randomisation (newer kernels,
# vm.mmap_rnd_bits > 28) it dies with "unexpected memory mapping". Then run without ASLR.
tsan_prefix=()
tsan_probe() {
    local d
    d=$(mktemp -d)
    printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' > "$d/p.c"
    gcc -fsanitize=thread -pthread "$d/p.c" -o "$d/p"
    if ! "$d/p" 2>/dev/null; then
        if setarch "$(uname -m)" -R "$d/p"; then
            tsan_prefix=(setarch "$(uname -m)" -R)
            echo "tsan: running without address-space randomisation (setarch -R)"
        else
            echo "tsan: ThreadSanitizer cannot run on this kernel, even with setarch -R" >&2
            rm -rf "$d"
            return 1
        fi
    fi
    rm -rf "$d"
}

step_asan() {
    echo "== ASan + UBSan: the whole test suite (${pre}asan)"
    # gcc leaves float-cast-overflow out of -fsanitize=undefined: (int) of a huge double from a file
    CC=gcc setup "${pre}asan" -Db_sanitize=address,undefined \
        "-Dc_args=-fno-sanitize-recover=undefined -fsanitize=float-cast-overflow"
    ninja -C "${pre}asan" >/dev/null
    meson test -C "${pre}asan" --print-errorlogs --num-processes "$jobs" --timeout-multiplier 3
}

step_tsan() {
    echo "== TSan: worker, soak and TUI tests (${pre}tsan)"
    tsan_probe
    CC=gcc setup "${pre}tsan" -Db_sanitize=thread
    ninja -C "${pre}tsan" >/dev/null
    local suites=()
    local list
    list=$(meson test -C "${pre}tsan" --list 2>/dev/null || true)
    for s in worker ui e2e; do
        if grep -q ":$s / " <<<"$list"; then
            suites+=(--suite "$s")
        fi
    done
    if [ ${#suites[@]} -eq 0 ]; then
        echo "tsan: no worker, ui or e2e tests found" >&2
        return 1
    fi
    # Both runs count: called as `step_tsan || rc=1`, set -e is off inside, so a failure of the first
    # run must be kept by hand (it was lost when the second run passed).
    local status=0
    "${tsan_prefix[@]}" meson test -C "${pre}tsan" --print-errorlogs --num-processes "$jobs" \
        --timeout-multiplier 3 "${suites[@]}" || status=1
    # and the core tests that start threads (the matrix pool, the trainer with a pool)
    local names=()
    for n in pool matrix trainer race; do
        grep -q ":core / $n\$" <<<"$list" && names+=("$n")
    done
    if [ ${#names[@]} -gt 0 ]; then
        "${tsan_prefix[@]}" meson test -C "${pre}tsan" --print-errorlogs \
            --num-processes "$jobs" --timeout-multiplier 3 "${names[@]}" || status=1
    fi
    return $status
}

step_fuzz() {
    echo "== libFuzzer: ${fuzz_seconds} s per target (${pre}fuzz)"
    # clang and libFuzzer's runtime (Debian: libclang-rt-14-dev, only recommended by clang, so
    # missing after --no-install-recommends): install them like tools/bootstrap does.
    local probe
    probe=$(mktemp -d)
    printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/f.c"
    if ! clang -fsanitize=fuzzer,address,undefined "$probe/f.c" -o "$probe/f" 2>/dev/null; then
        local pkgs="clang" sudo=""
        for rt in libclang-rt-dev libclang-rt-14-dev libclang-rt-15-dev libclang-rt-16-dev; do
            apt-cache show "$rt" >/dev/null 2>&1 && { pkgs="$pkgs $rt"; break; }
        done
        echo "fuzz: installing $pkgs"
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
        if ! clang -fsanitize=fuzzer,address,undefined "$probe/f.c" -o "$probe/f"; then
            echo "fuzz: clang cannot build libFuzzer targets (install clang and its libclang-rt package)" >&2
            rm -rf "$probe"
            return 1
        fi
    fi
    rm -rf "$probe"
    CC=clang setup "${pre}fuzz" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
    # Build the four targets by name: a target that fails to build fails the step, with ninja's
    # output shown. (Listing targets through `ninja -t targets | grep -q` under pipefail was racy:
    # ninja writes line by line and dies of SIGPIPE once grep has its match.)
    local targets=(tests/fuzz/fuzz_preset tests/fuzz/fuzz_csv tests/fuzz/fuzz_idx tests/fuzz/fuzz_model)
    if ! ninja -C "${pre}fuzz" "${targets[@]}" >"${pre}fuzz/ninja.log" 2>&1; then
        echo "fuzz: the libFuzzer targets did not build:" >&2
        grep -E -B2 -A8 'FAILED|error' "${pre}fuzz/ninja.log" | head -40 >&2 || tail -40 "${pre}fuzz/ninja.log" >&2
        return 1
    fi
    local failed=0 t exe out
    for t in preset csv idx model; do
        exe=${pre}fuzz/tests/fuzz/fuzz_$t
        if [ ! -x "$exe" ]; then
            echo "fuzz_$t: not built ($exe missing)" >&2
            failed=1
            continue
        fi
        out=${pre}fuzz/fuzz-out/$t
        rm -rf "$out"
        mkdir -p "$out/corpus"
        cp tests/fuzz/corpus/$t/* "$out/corpus/"
        local dict=()
        [ -f tests/fuzz/$t.dict ] && dict=(-dict=tests/fuzz/$t.dict)
        # Memory limits: a 16 KB input that makes a parser allocate over 512 MB at once (one 64-byte
        # name per pixel of a huge image did) or grow past 2 GB (a cJSON tree of a huge preset) is
        # a bug of the "small file, huge memory" class, reported like a crash (oom-* input kept).
        if "$exe" "${dict[@]}" -max_total_time="$fuzz_seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
                -malloc_limit_mb=512 \
                -print_final_stats=1 -artifact_prefix="$out/" "$out/corpus" tests/fuzz/regressions/$t \
                >"$out/log" 2>&1; then
            echo "fuzz_$t: $(grep -o 'number_of_executed_units: *[0-9]*' "$out/log" | grep -o '[0-9]*$') executions, no crash"
        else
            echo "fuzz_$t: FAILED; input(s) in $out/:" >&2
            ls "$out" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' >&2 || true
            grep -E 'ERROR|SUMMARY|check failed' "$out/log" | head -5 >&2 || true
            failed=1
        fi
    done
    return $failed
}

rc=0
for s in "${steps[@]}"; do
    case $s in
    asan | tsan | fuzz) "step_$s" || rc=1 ;;
    *)
        echo "usage: tools/ci-sanitizers.sh [asan] [tsan] [fuzz]" >&2
        exit 2
        ;;
    esac
done
exit $rc
