#!/usr/bin/env bash
# install.sh BUILDDIR PREFIX BINDIR DATADIR MANDIR — `meson install` into a DESTDIR: the binary runs
# from there; the presets and their data are under share/nnterm/presets and work as paths (wine.json
# reads wine.csv beside it); `man -l` renders nnterm(1); the bash completion completes
# `nnterm tr<TAB>` to train, `--set training.opt<TAB>` to the optimizer's keys, and preset names.
set -u
build=$1 prefix=$2 bindir=$3 datadir=$4 mandir=$5
T=$(mktemp -d)   # under $TMPDIR, else /tmp
trap 'rm -rf "$T"' EXIT
fail=0
check() { if [ "$1" -ne 0 ]; then echo "FAIL: $2" >&2; fail=1; fi; }
# an absolute folder under the prefix, as installed in DESTDIR
under() { case $1 in /*) echo "$T/dest$1" ;; *) echo "$T/dest$prefix/$1" ;; esac; }

meson install -C "$build" --destdir "$T/dest" --no-rebuild --quiet >"$T/log" 2>&1
check $? "meson install: $(tail -n 5 "$T/log")"
bin=$(under "$bindir")/nnterm
share=$(under "$datadir")
man=$(under "$mandir")/man1/nnterm.1
comp=$share/bash-completion/completions/nnterm

[ -x "$bin" ] && "$bin" --version >"$T/out" 2>&1
check $? "the installed binary does not run: $(head -c 300 "$T/out")"
[ -z "$(find "$T/dest" -type f \( -name 'test_*' -o -name 'nn-embed' -o -name 'bench*' \))" ]
check $? "a test, bench or build tool was installed: $(find "$T/dest" -type f | head)"

# presets and data
for f in iris.json spiral.json fashion-mnist.json wine.json wine.csv; do
    [ -s "$share/nnterm/presets/$f" ]
    check $? "share/nnterm/presets/$f is not installed"
done
n_builtin=$("$bin" presets | wc -l)
n_files=$(ls "$share/nnterm/presets/"*.json | wc -l)
[ "$n_builtin" -eq "$n_files" ]
check $? "$n_builtin built-in presets, $n_files installed"
(cd "$T" && "$bin" check "$share"/nnterm/presets/*.json) >"$T/out" 2>&1
check $? "the installed presets do not check: $(head -c 400 "$T/out")"
(cd "$T" && "$bin" train "$share/nnterm/presets/wine.json" --epochs 1 --quiet) >"$T/out" 2>&1
check $? "the installed wine.json does not train from its installed wine.csv: $(head -c 400 "$T/out")"

# the manual page
[ -s "$man" ]
check $? "no manual page at $man"
MANWIDTH=80 MANPAGER=cat PAGER=cat man -l "$man" >"$T/man" 2>"$T/manerr"
check $? "man -l failed: $(head -c 300 "$T/manerr")"
grep -q '^NAME' "$T/man" && grep -q 'nnterm - train multilayer perceptrons' "$T/man" &&
    grep -q -- '--report DIR' "$T/man" && grep -q "$datadir/nnterm/presets\|$prefix/$datadir/nnterm/presets" "$T/man"
check $? "the rendered page lacks its name, --report or the presets' folder: $(head -c 400 "$T/man")"
[ ! -s "$T/manerr" ]
check $? "man -l warned: $(head -c 300 "$T/manerr")"

# bash completion, with the installed nnterm first on PATH
complete_words() {   # complete_words WORD... : the completions of the last word
    PATH="$(dirname "$bin"):$PATH" bash --norc --noprofile -c '
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _nnterm
        printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}
[ -s "$comp" ]
check $? "no bash completion at $comp"
got=$(complete_words nnterm tr)
[ "$got" = train ]
check $? "nnterm tr<TAB> gives '$got', not train"
got=$(complete_words nnterm train iris --set training.opt)
printf '%s\n' "$got" | grep -qx 'training.optimizer.name=' &&
    printf '%s\n' "$got" | grep -qx 'training.optimizer.learning_rate=' &&
    ! printf '%s\n' "$got" | grep -qv '^training\.optimizer'
check $? "--set training.opt<TAB> gives: $(printf '%s ' $got)"
got=$(complete_words nnterm train spi)
[ "$got" = spiral ]
check $? "nnterm train spi<TAB> gives '$got', not spiral"
got=$(complete_words nnterm train spiral --rep)
[ "$got" = --report ]
check $? "nnterm train spiral --rep<TAB> gives '$got', not --report"
got=$(complete_words nnterm train spiral --set model.layers.0.act)
[ "$got" = model.layers.0.activation= ]
check $? "--set model.layers.0.act<TAB> gives '$got'"
got=$(complete_words nnterm ver)
[ "$got" = verify ]
check $? "nnterm ver<TAB> gives '$got', not verify"
# every subcommand that --help lists completes to itself
for cmd in $("$bin" --help | sed -n 's/^ *\(usage:\)\{0,1\} *nnterm \([a-z][a-z]*\).*/\2/p' | sort -u); do
    complete_words nnterm "$cmd" | grep -qx "$cmd"
    check $? "nnterm $cmd<TAB> does not complete $cmd (tools/nnterm.bash lacks a subcommand of --help)"
done
exit $fail
