# harness.sh — the tmux end-to-end harness, sourced by the e2e scripts after they set
# APP (the binary), S (the session name) and optionally E2E_WAIT_MS (default 15000: generous for
# loaded CI machines and sanitizer builds; a passing wait returns as soon as the text shows) and E2E_NAME
# (prefix of failure messages). A private tmux server on its own socket, the app under a wrapper
# that writes its exit status to $TMP/rc, and polling helpers: never assert once right after a key.
command -v tmux >/dev/null || { echo "tmux not found: skipped"; exit 77; }
# the trainer records every run into the user's runs folder: never from a test (a test that wants
# records sets NNTERM_RUNS to a folder of its own before starting the app; tmux's server takes the
# environment of its first command)
export NNTERM_RUNS=off
TMP=$(mktemp -d)
printf 'set -g remain-on-exit on\nset -g default-terminal tmux-256color\nset -g history-limit 200\n' >"$TMP/conf"
t() { tmux -S "$TMP/sock" -f "$TMP/conf" "$@"; }
trap 't kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT
now() { date +%s%3N; }
# Sanitizer builds run several times slower (a TSan race of eight optimizers took over 60 s on a loaded
# 2-core machine): every deadline, explicit ones included, is four times longer for them.
# (ldd's output is read whole first: `ldd | grep -q` under pipefail failed when grep's early exit
# killed ldd with SIGPIPE, one run in three here, and the deadlines stayed short.)
E2E_SCALE=1
e2e_libs=$(ldd "$APP" 2>/dev/null || true)
grep -qE 'lib(a|t|ub)san' <<<"$e2e_libs" && E2E_SCALE=4
screen() { t capture-pane -p -t "$S"; }
# shows PCRE [capture-pane options]: the pane matches. The capture is read whole before grep runs: with
# `capture-pane | grep -q` under pipefail, grep's early exit can SIGPIPE tmux and fail the pipeline.
shows() { local s; s=$(t capture-pane -p "${@:2}" -t "$S") || return 2; grep -qP -- "$1" <<<"$s"; }
fail() { echo "FAIL${E2E_NAME:+ ($E2E_NAME)}: $*" >&2; screen >&2 || true; cat "$TMP/err" >&2 2>/dev/null || true; exit 1; }
wait_for() { local d=$(( $(now) + ${2:-${E2E_WAIT_MS:-15000}} * E2E_SCALE )); until shows "$1"; do
  (( $(now) < d )) || fail "timeout waiting for /$1/"; sleep 0.02; done; }
wait_gone() { local d=$(( $(now) + ${E2E_WAIT_MS:-15000} * E2E_SCALE )); while shows "$1"; do
  (( $(now) < d )) || fail "still shown: /$1/"; sleep 0.02; done; }
wait_rc() { local n=$(( ${E2E_WAIT_MS:-15000} * E2E_SCALE / 20 )); for _ in $(seq "$n"); do [ -s "$TMP/rc" ] && return; sleep 0.02; done
  fail "app did not exit"; }
keys() { t send-keys -t "$S" "$@"; }
