#!/usr/bin/env bash
# signals.sh NNTERM — headless runs and signals: the first SIGINT stops after the current batch,
# still prints the final report and exits 130; a second one exits at once (130, a message, no
# report); SIGTERM and SIGHUP behave like the first SIGINT (143, 129). No timing assertions: the script waits for
# observable states (output written, handler installed, process blocked) with generous limits
# that only turn a hang into a failure.
. "$(dirname "$0")/lib.sh" "$@"

pid=0
cleanup_pid() { [ "$pid" -gt 0 ] && kill -KILL "$pid" 2>/dev/null; pid=0; }
trap 'cleanup_pid; rm -rf "$T"' EXIT

# handler_installed PID: the process is nnterm (exec done: before it, the forked shell has the
# shell's handlers and traps) and SIGINT (bit 1) is in its caught-signals mask.
nnterm_real=$(readlink -f "$NNTERM")
handler_installed() {
    local mask
    [ "$(readlink -f "/proc/$1/exe" 2>/dev/null)" = "$nnterm_real" ] || return 1
    mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
    [ -n "$mask" ] && (( (16#$mask >> 1) & 1 ))
}

# wait_until DESCRIPTION COMMAND...: polls every 0.05 s for up to 120 s while the process lives.
wait_until() {
    local what=$1 i
    shift
    for ((i = 0; i < 2400; i++)); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || { echo "process ended while waiting for $what"; return 1; }
        sleep 0.05
    done
    echo "gave up waiting for $what"
    return 1
}

# wait_exit: waits for the process to end (up to 120 s, then SIGKILL and a failure); sets rc.
wait_exit() {
    local i s
    for ((i = 0; i < 2400; i++)); do
        s=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)
        [ -z "$s" ] || [ "$s" = Z ] && break
        sleep 0.05
    done
    if [ -n "$s" ] && [ "$s" != Z ]; then
        kill -KILL "$pid"
        wait "$pid"
        rc=$?
        pid=0
        check 1 "still running 120 s after the signal"
        return 1
    fi
    wait "$pid"
    rc=$?
    pid=0
}

# --- 1. one SIGINT: stops, reports, exits 130 (JSON) ---
label="train spiral --epochs 100000 --json, one SIGINT"
rm -f "$T/out" "$T/err"
"$NNTERM" train spiral --epochs 100000 --json --threads 1 >"$T/out" 2>"$T/err" &
pid=$!
wait_until "the signal handler" handler_installed "$pid"
wait_until "the first epoch lines" test -s "$T/out"
check $? "no output before the signal"
wait_until "the signal handler" handler_installed "$pid"
kill -INT "$pid"
wait_exit
expect_rc 130
expect_err_lines 0
last=$(tail -n 1 "$T/out")
[[ $last == *'"final":true'* && $last == *'"stopped":"interrupted"'* && $last == *'"confusion_matrix"'* ]]
check $? "the last line is not the final report of an interrupted run: $last"
epochs=$(sed -n 's/.*"epochs":\([0-9]*\).*/\1/p' <<<"$last")
[ -n "$epochs" ] && [ "$epochs" -lt 100000 ] && [ "$(grep -c '"epoch":' "$T/out")" -eq "$epochs" ]
check $? "final epochs ($epochs) do not match the epoch lines printed"

# --- 2. one SIGINT in text mode ---
label="train iris --epochs 1000000, one SIGINT"
rm -f "$T/out" "$T/err"
"$NNTERM" train iris --epochs 1000000 --threads 1 >"$T/out" 2>"$T/err" &
pid=$!
wait_until "the signal handler" handler_installed "$pid"
wait_until "output" test -s "$T/out"
check $? "no output before the signal"
wait_until "the signal handler" handler_installed "$pid"
kill -INT "$pid"
wait_exit
expect_rc 130
expect_err_lines 0
expect_out_has "interrupted during epoch"
expect_out_has "confusion matrix"
expect_out_has "macro avg"

# --- 3. SIGTERM: the same, status 143 ---
label="train spiral --epochs 100000 --json, SIGTERM"
rm -f "$T/out" "$T/err"
"$NNTERM" train spiral --epochs 100000 --json --threads 1 >"$T/out" 2>"$T/err" &
pid=$!
wait_until "the signal handler" handler_installed "$pid"
wait_until "output" test -s "$T/out"
wait_until "the signal handler" handler_installed "$pid"
kill -TERM "$pid"
wait_exit
expect_rc 143
tail -n 1 "$T/out" | grep -q '"final":true'
check $? "no final report after SIGTERM"

# --- 3b. SIGHUP: like SIGTERM (issue 11: it killed the run mid-line, with no report), status 129 ---
label="train spiral --epochs 100000 --json, SIGHUP"
rm -f "$T/out" "$T/err"
"$NNTERM" train spiral --epochs 100000 --json --threads 1 >"$T/out" 2>"$T/err" &
pid=$!
wait_until "the signal handler" handler_installed "$pid"
wait_until "output" test -s "$T/out"
wait_until "the signal handler" handler_installed "$pid"
kill -HUP "$pid"
wait_exit
expect_rc 129
expect_err_lines 0
last=$(tail -n 1 "$T/out")
[[ $last == *'"final":true'* && $last == *'"stopped":"interrupted"'* ]]
check $? "no final report after SIGHUP: $last"
python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/out"
check $? "a JSON line is cut or malformed after SIGHUP"

# --- 4. a second SIGINT exits at once ---
# stdout is a pipe nobody reads: once it is full the process blocks writing. The first SIGINT
# ends the training loop, and the final report then blocks on the same full pipe: the second
# SIGINT must end the process there, with its message and status 130.
label="train spiral --epochs 100000 --json into a full pipe, two SIGINTs"
mkfifo "$T/pipe"
exec 3<>"$T/pipe"
rm -f "$T/out" "$T/err"
"$NNTERM" train spiral --epochs 100000 --json --threads 1 >"$T/pipe" 2>"$T/err" &
pid=$!
blocked() {   # sleeping (blocked on the pipe) in 5 polls in a row
    local i s
    for ((i = 0; i < 5; i++)); do
        s=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)
        [ "$s" = S ] || return 1
        sleep 0.02
    done
}
wait_until "the signal handler" handler_installed "$pid"
check $? "the handler was never installed"
wait_until "a full pipe" blocked
check $? "the process never blocked on the full pipe"
kill -INT "$pid"
wait_until "the final report to block" blocked
kill -INT "$pid"
wait_exit
exec 3<&-
expect_rc 130
expect_err_lines 1
expect_err_has "interrupted again"

finish
