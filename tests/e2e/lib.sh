# lib.sh - the end-to-end harness: the real `colophon` binary in tmux.
#
# Each test script is run as `sh test_X.sh COLOPHON_BINARY` (tests/e2e/
# meson.build registers it with protocol tap) and prints TAP.  It sources
# this file, which gives it:
#
#   e2e_init "$1"         a scratch directory $E2E_DIR, a private tmux server
#                         (its own socket, no user config), clean XDG dirs;
#                         everything is removed at exit (trap).  Skips the
#                         whole script (TAP "1..0 # SKIP") when tmux is absent.
#   e2e_repo [USER]       a repository in $REPO (institution 1234) owned by
#                         USER (default "cataloger"), with the LoC sample
#                         records imported; $MMS1 .. $MMS3 are the first
#                         three records' MMS IDs.
#   cli ARGS...           run `colophon --repo $REPO --user $E2E_USER ARGS`.
#   e2e_start NAME [-x W] [-y H] [-u USER] [-e VAR=VALUE]... -- ARGS...
#                         start `colophon --repo $REPO --user USER ARGS` in
#                         tmux session NAME at W x H (80x24), as USER
#                         (default $E2E_USER); -e adds environment.
#   e2e_keys NAME KEY...  tmux send-keys names: Enter Escape Up Down End F1
#                         C-s M-r (Alt) ... (one argument a key).
#   e2e_type NAME TEXT    type TEXT literally.
#   e2e_wait NAME TEXT [SECONDS]
#                         poll the screen until it shows TEXT (a fixed
#                         string); returns 1 after SECONDS (default 10) and
#                         prints the screen as TAP comments.
#   e2e_wait_gone NAME TEXT [SECONDS]   the same until TEXT is gone.
#   e2e_screen NAME       print the screen (plain text).
#   e2e_screen_esc NAME   print it with its attributes (capture-pane -e).
#   e2e_pid NAME          the colophon process of the session.
#   e2e_alive NAME        true while that process runs.
#   e2e_resize NAME W H   resize the session's window.
#   e2e_stop NAME         kill the session.
#   check DESCRIPTION CMD...   run CMD; "ok"/"not ok" with DESCRIPTION.
#   ok / is / like / done_testing    from tests/cli/tap.sh.
#
# A typical step: e2e_keys ed C-s; check "saved" e2e_wait ed "Saved".
# Keys reach colophon as a terminal sends them (tmux is the terminal), so
# these tests cover term.c, signals, resize and the draft file for real.

# (a script elsewhere sets E2E_LIB_DIR to this folder before sourcing)
E2E_LIB_DIR=${E2E_LIB_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$E2E_LIB_DIR/../cli/tap.sh"

E2E_SAMPLE=/usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz

# Killing the tmux server hangs up every pane.  A program that outlives the
# hang-up (an ASan build's leak check has been seen to stall) would linger
# after the test, so each pane's process group gets two seconds and then
# SIGKILL (procps kill: dash's own cannot signal a group).
e2e_cleanup() {
    if [ -n "${E2E_SOCK:-}" ]; then
        _pids=$(tmux -S "$E2E_SOCK" list-panes -a -F '#{pane_pid}' 2>/dev/null)
        tmux -S "$E2E_SOCK" kill-server 2>/dev/null
        _n=0
        while [ -n "$_pids" ] && [ $_n -lt 20 ]; do
            _alive=""
            for _p in $_pids; do /bin/kill -s 0 -- "-$_p" 2>/dev/null && _alive="$_alive $_p"; done
            _pids=$_alive
            [ -n "$_pids" ] && sleep 0.1
            _n=$((_n + 1))
        done
        for _p in $_pids; do
            echo "# pane process group $_p outlived the hang-up; killed" >&2
            /bin/kill -s KILL -- "-$_p" 2>/dev/null || kill -KILL "$_p" 2>/dev/null
        done
    fi
    if [ -n "${E2E_DIR:-}" ] && [ -d "$E2E_DIR" ]; then
        rm -rf "$E2E_DIR"
    fi
}

e2e_init() {
    COLOPHON=$1
    if ! command -v tmux >/dev/null 2>&1; then
        echo "1..0 # SKIP tmux is not installed"
        exit 0
    fi
    case $COLOPHON in
        /*) ;;
        *) COLOPHON=$(pwd)/$COLOPHON ;;
    esac
    E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/colophon-e2e.XXXXXX")
    E2E_SOCK=$E2E_DIR/tmux.sock
    REPO=$E2E_DIR/repo
    trap e2e_cleanup EXIT
    trap 'exit 130' INT TERM
    mkdir -p "$E2E_DIR/config" "$E2E_DIR/state" "$E2E_DIR/data"
    # the editor's drafts and key file, and tmux's own files, stay in here
    export XDG_CONFIG_HOME="$E2E_DIR/config" XDG_STATE_HOME="$E2E_DIR/state"
    export XDG_DATA_HOME="$E2E_DIR/data" TMUX_TMPDIR="$E2E_DIR"
    unset TMUX NO_COLOR
    E2E_USER=cataloger
}

cli() {
    "$COLOPHON" --repo "$REPO" --user "$E2E_USER" "$@"
}

e2e_repo() {
    E2E_USER=${1:-cataloger}
    cli init --institution 1234 >/dev/null || return 1
    zcat "$E2E_SAMPLE" > "$E2E_DIR/loc.mrc" || return 1
    cli import --permissive --quiet "$E2E_DIR/loc.mrc" >/dev/null 2>&1
    MMS1=991000000011234
    MMS2=991000000021234
    MMS3=991000000031234
    cli show "$MMS1" >/dev/null 2>&1
}

e2e_tmux() {
    tmux -S "$E2E_SOCK" -f /dev/null "$@"
}

# e2e_start NAME [-x W] [-y H] [-e VAR=VALUE]... -- ARGS...
e2e_start() {
    name=$1
    shift
    w=80 h=24 envs="" user=${E2E_USER:-cataloger}
    while [ $# -gt 0 ]; do
        case $1 in
            -u) user=$2; shift 2 ;;
            -x) w=$2; shift 2 ;;
            -y) h=$2; shift 2 ;;
            -e) envs="$envs '$2'"; shift 2 ;;
            --) shift; break ;;
            *) break ;;
        esac
    done
    args=""
    for a in "$@"; do
        args="$args '$a'"
    done
    cmd="exec env TERM=screen-256color XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' LANG=C.UTF-8 LC_ALL=C.UTF-8 $envs '$COLOPHON' --repo '$REPO' --user '$user' $args"
    e2e_tmux new-session -d -s "$name" -x "$w" -y "$h" "$cmd" || return 1
    # keep the pane (and its last screen) when colophon exits or is killed
    e2e_tmux set-option -t "$name" remain-on-exit on >/dev/null
    e2e_tmux set-option -t "$name" window-size manual >/dev/null 2>&1
    e2e_tmux resize-window -t "$name" -x "$w" -y "$h" >/dev/null 2>&1
    return 0
}

e2e_keys() {
    name=$1
    shift
    for k in "$@"; do
        e2e_tmux send-keys -t "$name" "$k" || return 1
        # Esc and a key within the terminal's escape delay read as Alt+key:
        # after Escape wait well past it (term.c waits 30 ms)
        case $k in
            Escape) sleep 0.3 ;;
            *) sleep 0.05 ;;
        esac
    done
}

e2e_type() {
    e2e_tmux send-keys -t "$1" -l "$2"
    sleep 0.05
}

e2e_screen() {
    e2e_tmux capture-pane -p -t "$1"
}

e2e_screen_esc() {
    e2e_tmux capture-pane -p -e -t "$1"
}

# Print the screen as TAP comments (after a failure).
e2e_show() {
    e2e_screen "$1" 2>&1 | sed 's/^/#   |/'
}

e2e_wait() {
    name=$1 text=$2 secs=${3:-10}
    tries=$((secs * 10))
    while [ $tries -gt 0 ]; do
        if e2e_screen "$name" 2>/dev/null | grep -qF -- "$text"; then
            return 0
        fi
        sleep 0.1
        tries=$((tries - 1))
    done
    echo "#   waited ${secs}s for '$text' in session $name; the screen:"
    e2e_show "$name"
    return 1
}

e2e_wait_gone() {
    name=$1 text=$2 secs=${3:-10}
    tries=$((secs * 10))
    while [ $tries -gt 0 ]; do
        if ! e2e_screen "$name" 2>/dev/null | grep -qF -- "$text"; then
            return 0
        fi
        sleep 0.1
        tries=$((tries - 1))
    done
    echo "#   waited ${secs}s for '$text' to go in session $name; the screen:"
    e2e_show "$name"
    return 1
}

e2e_pid() {
    e2e_tmux display-message -p -t "$1" '#{pane_pid}'
}

e2e_alive() {
    [ "$(e2e_tmux display-message -p -t "$1" '#{pane_dead}' 2>/dev/null)" = 0 ]
}

e2e_resize() {
    e2e_tmux resize-window -t "$1" -x "$2" -y "$3"
}

e2e_stop() {
    e2e_tmux kill-session -t "$1" 2>/dev/null
    return 0
}

# check DESCRIPTION CMD... : one TAP line for the command's status.
check() {
    desc=$1
    shift
    "$@"
    ok $? "$desc"
}
