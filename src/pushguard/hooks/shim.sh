#!/bin/sh
# pushguard-managed-hook: written by `pushguard install`, removed by `pushguard install --uninstall`.
#
# To install it by hand, copy this file to .git/hooks/commit-msg (or prepare-commit-msg,
# pre-commit, pre-push, or a server's pre-receive) and make it executable; the hook type is then
# the file's name. A hook that was there before is kept as <hook>.legacy and runs first, with the
# same arguments, the same standard input and its own name in $0 (a shell script is run by its
# shell under the hook's path, so a hook multiplexer that reads $0 still finds its hooks); when it
# fails, so does this. pushguard is looked for in the interpreter that installed the hook, then in
# the pushguard checkout this file lives in (its hooks/ folder, as core.hooksPath), then on PATH,
# then in python3; with none of them the hook fails (exit 2) and says how to reinstall pushguard
# from where it was installed, or how to skip the hook.

# filled in by `pushguard install`
pg_python=''
pg_hook=''
pg_config=''
pg_path=''
pg_reinstall=''

[ -n "$pg_hook" ] || pg_hook=${0##*/}
pg_legacy="$0.legacy"
# exits 127 when this interpreter has no pushguard, so the next one is tried
# `-c` puts the current directory (the work tree) first on sys.path: take it off, so that no
# file of the repository is imported in place of a module
pg_main='import sys
del sys.path[0]
try:
    from pushguard.cli import main
except ModuleNotFoundError as e:
    if e.name != "pushguard":
        raise
    sys.exit(127)
sys.exit(main())'
# the same, started with -S: the folders pushguard was installed with go on sys.path after the
# standard library, so the site module and every .pth file are skipped (much of an
# interpreter's start-up); 127 when they no longer hold pushguard, so the ordinary start is
# tried next
pg_fast='import sys, os
del sys.path[0]
folders = sys.argv.pop(1).split(os.pathsep)
if not all(map(os.path.isdir, folders)):
    sys.exit(127)
sys.path += folders
try:
    from pushguard.cli import main
except ImportError:
    sys.exit(127)
sys.exit(main())'

pg_run() {
    if [ -n "$pg_config" ]; then
        set -- hook "$pg_hook" --config "$pg_config" "$@"
    else
        set -- hook "$pg_hook" "$@"
    fi
    if [ -n "$pg_python" ] && [ -x "$pg_python" ] && [ -n "$pg_path" ]; then
        "$pg_python" -S -c "$pg_fast" "$pg_path" "$@"
        pg_status=$?
        [ "$pg_status" -eq 127 ] || return "$pg_status"
    fi
    if [ -n "$pg_python" ] && [ -x "$pg_python" ]; then
        "$pg_python" -c "$pg_main" "$@"
        pg_status=$?
        [ "$pg_status" -eq 127 ] || return "$pg_status"
    fi
    case $0 in */*) pg_src="${0%/*}/../src" ;; *) pg_src=../src ;; esac
    pg_tried=''
    if [ -z "$pg_python" ] && [ -f "$pg_src/pushguard/cli.py" ] && command -v python3 >/dev/null 2>&1
    then
        pg_tried="python3 with $pg_src, "
        python3 -c "$pg_fast" "$pg_src" "$@"
        pg_status=$?
        [ "$pg_status" -eq 127 ] || return "$pg_status"
    fi
    if command -v pushguard >/dev/null 2>&1; then
        pushguard "$@"
        return
    fi
    if command -v python3 >/dev/null 2>&1; then
        python3 -c "$pg_main" "$@"
        pg_status=$?
        [ "$pg_status" -eq 127 ] || return "$pg_status"
    fi
    # a missing tool must not pass every commit unchecked, nor block it without saying why
    pg_install="pushguard install --hook $pg_hook"
    pg_skip='skip the hook once with --no-verify, or remove it'
    if [ "$pg_hook" = pre-receive ]; then
        pg_install='pushguard install --server'
        pg_skip='or remove it to accept pushes unchecked'
    fi
    echo "pushguard: the $pg_hook hook found no pushguard (tried:" \
        "${pg_python:+$pg_python -m pushguard, }${pg_tried}pushguard on PATH, python3 -m pushguard)." >&2
    echo "pushguard: reinstall it from where it came: ${pg_reinstall:-python3 -m pip install <the pushguard checkout, wheel or git URL you installed from>}," \
        "then run: $pg_install${pg_config:+ --config '$pg_config'}." >&2
    echo "pushguard: $pg_skip: rm '$0' (and mv '$pg_legacy' '$0' if that exists)." >&2
    return 2
}

# the hook that was here before, run as if it were still at $0: a shell script (by its #! line,
# or none) is read by its shell, started as `SHELL -c` with $0 set to our path; anything else
# (a binary, python, ...) is run as it is, under its .legacy name
pg_run_legacy() {
    pg_line=''
    IFS= read -r pg_line <"$pg_legacy" || true
    case $pg_line in
        '#!'*) ;;
        *) PG_LEGACY="$pg_legacy" sh -c '. "$PG_LEGACY"' "$0" "$@"; return ;;
    esac
    # shellcheck disable=SC2086 # the #! line's words, split as the kernel would not, on purpose
    set -- ${pg_line#??} -- "$@"
    pg_prog=$1
    shift
    if [ "${pg_prog##*/}" = env ] && [ "$1" != -- ]; then
        pg_prog=$1
        shift
    fi
    pg_opts=''
    while [ "$1" != -- ]; do pg_opts="$pg_opts $1"; shift; done
    shift
    case ${pg_prog##*/} in
        sh|bash|dash|ash|ksh|mksh|zsh)
            # shellcheck disable=SC2086
            PG_LEGACY="$pg_legacy" "$pg_prog" $pg_opts -c '. "$PG_LEGACY"' "$0" "$@"
            ;;
        *) "$pg_legacy" "$@" ;;
    esac
}

if [ ! -x "$pg_legacy" ]; then
    pg_run "$@"
    exit $?
fi
case $pg_hook in
    pre-push|pre-receive)  # git gives these their input on stdin: both hooks must read it
        pg_stdin=$(mktemp "${TMPDIR:-/tmp}/pushguard-stdin.XXXXXX") || exit 2
        trap 'rm -f "$pg_stdin"' EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        cat >"$pg_stdin"
        pg_run_legacy "$@" <"$pg_stdin" || exit $?
        pg_run "$@" <"$pg_stdin"
        exit $?
        ;;
esac
pg_run_legacy "$@" || exit $?
pg_run "$@"
