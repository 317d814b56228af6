#!/bin/sh
# check_man.sh SRCROOT NNTERM — the manual page's source (docs/nnterm.1.scd) is in step with
# `nnterm --help`: every subcommand and every option --help lists is in the page (in bold), and every
# option the page sets in bold is one --help lists.
set -eu
root=$1 nnterm=$2
scd=$root/docs/nnterm.1.scd
fail=0
help=$("$nnterm" --help)
for cmd in $(printf '%s\n' "$help" | sed -n 's/^ *\(usage:\)\{0,1\} *nnterm \([a-z][a-z]*\).*/\2/p' | sort -u); do
    grep -q "^\*nnterm $cmd\*\|^\*$cmd\*" "$scd" || { echo "nnterm.1.scd lacks the subcommand $cmd of --help" >&2; fail=1; }
done
for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "\*$opt\*" "$scd" || { echo "nnterm.1.scd lacks the option $opt of --help" >&2; fail=1; }
done
for opt in $(grep -o -- '\*--[a-z][a-z-]*\*' "$scd" | tr -d '*' | sort -u); do
    printf '%s\n' "$help" | grep -q -- "$opt\b" || { echo "nnterm.1.scd has $opt, which --help lacks" >&2; fail=1; }
done
exit $fail
