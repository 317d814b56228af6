# bash completion for nnterm(1): subcommands, options, built-in preset names, and the dotted keys of
# --set KEY=VALUE. The preset names and keys come from the nnterm being completed (`nnterm presets`,
# `nnterm keys --names`), so they always match it. Installed as
# share/bash-completion/completions/nnterm; needs nothing but bash.

_nnterm_run()
{
    local exe=${COMP_WORDS[0]}
    [ "${exe#\~/}" != "$exe" ] && exe=$HOME/${exe#\~/}
    "$exe" "$@" 2>/dev/null
}

# COMPREPLY from the words in $1 that start with $2
_nnterm_words()
{
    local IFS=$' \t\n'
    COMPREPLY+=($(compgen -W "$1" -- "$2"))
}

_nnterm_presets()
{
    local names
    names=$(_nnterm_run presets | cut -d' ' -f1)
    _nnterm_words "$names" "$1"
    local IFS=$'\n'
    COMPREPLY+=($(compgen -f -X '!*.json' -- "$1"))
    COMPREPLY+=($(compgen -d -S / -- "$1"))
}

_nnterm()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
    COMPREPLY=()

    # --set KEY=VALUE: bash splits the word at '=', so the key is before it
    if [ "$prev" = "=" ] || [ "${cur#*=}" != "$cur" ]; then
        return 0
    fi
    if [ "$prev" = "--set" ]; then
        local k keys=()
        while IFS= read -r k; do
            case $k in "$cur"*) keys+=("$k=") ;; esac
        done < <(_nnterm_run keys --names)
        COMPREPLY=("${keys[@]}")
        type compopt >/dev/null 2>&1 && compopt -o nospace
        return 0
    fi

    local sub=
    [ "$COMP_CWORD" -gt 1 ] && sub=${COMP_WORDS[1]}
    case $prev in
        --epochs|--seed|--threads|--optimizers|--tolerance|--pace) return 0 ;;
        --save|--resume)
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0 ;;
        --report|--out|--record)
            local IFS=$'\n'
            COMPREPLY=($(compgen -d -- "$cur"))
            return 0 ;;
    esac

    if [ "$COMP_CWORD" -eq 1 ]; then
        if [ "${cur#-}" != "$cur" ]; then
            _nnterm_words "--help --version --no-mouse --no-color --ascii --big --pace --no-record --threads" "$cur"
        else
            _nnterm_words "train race check predict report runs verify compare presets keys help" "$cur"
            _nnterm_presets "$cur"
        fi
        return 0
    fi

    # the arguments after the subcommand: options, or the preset / files
    local opts= args=0 i
    for ((i = 2; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            --epochs|--seed|--threads|--optimizers|--save|--report|--out|--set|--record|--resume|--tolerance|--pace) ((i++)) ;;
            -*) ;;
            *) ((args++)) ;;
        esac
    done
    case $sub in
        train) opts="--epochs --seed --threads --set --json --save --quiet --report --record --resume" ;;
        verify) opts="--tolerance --threads" ;;
        race) opts="--optimizers --epochs --seed --json" ;;
        report) opts="--out --threads" ;;
        keys) opts="--markdown --names" ;;
        predict|check|presets|help|runs|compare) ;;
        *) opts="--no-mouse --no-color --ascii --big --pace --no-record --threads" ;;   # the trainer
    esac
    if [ "${cur#-}" != "$cur" ] || [ "$sub" = keys ]; then
        _nnterm_words "$opts" "$cur"
        return 0
    fi
    case $sub in
        train|race) [ "$args" -eq 0 ] && _nnterm_presets "$cur" ;;
        check) _nnterm_presets "$cur" ;;
        -*) [ "$args" -eq 0 ] && _nnterm_presets "$cur" ;;
        runs)
            local IFS=$'\n'
            [ "$args" -eq 0 ] && COMPREPLY=($(compgen -d -S / -- "$cur")) ;;
        verify|compare)
            local IFS=$'\n'
            if [ "$sub" = compare ] || [ "$args" -eq 0 ]; then
                COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -S / -- "$cur"))
            fi ;;
        predict|report)
            local IFS=$'\n'
            if [ "$sub" = predict ] && [ "$args" -eq 1 ]; then
                COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur") $(compgen -d -S / -- "$cur"))
            elif [ "$args" -eq 0 ]; then
                COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -S / -- "$cur"))
            fi ;;
    esac
    return 0
}
complete -F _nnterm nnterm
