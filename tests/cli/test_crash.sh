#!/bin/sh
# test_crash.sh - `kill -9` a `colophon edit --file` at random moments of its
# run, many times (issue 3, item 8; SPEC §8 "crash at any moment").  After
# every kill:
#   - both zone files pass PRAGMA integrity_check (the sqlite3 CLI);
#   - the record is wholly the old or wholly the new text: the two texts
#     differ in their 245 and in every one of 300 notes, so a mix shows;
#   - the version table matches the current version number (versions
#     1..current-1 stored, no gap, no extra), and the brief columns the
#     search uses agree with the stored record;
#   - the lock the killed process may hold can be released by its user, or
#     expires (lock.timeout) so that another user can open the record.
# The kill moments are spread over the measured length of a whole run.
# Usage: test_crash.sh COLOPHON_BINARY  (CRASH_RUNS=N, default 40)
set -u
bin=$1
runs=${CRASH_RUNS:-40}
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
export TMPDIR=$tmp
unset VISUAL EDITOR COLOPHON_REPO
loc=/usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz

as() { # USER VERB ARGS...
    u=$1
    shift
    "$bin" --repo "$repo" --user "$u" "$@"
}
sql() { sqlite3 "$repo/iz.db" "$1"; }
now_ns() { date +%s%N; }
random() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }

"$bin" --user alice init --institution 1234 "$repo" >/dev/null || exit 1
as alice user add bob --role cataloger >/dev/null
as alice config set lock.timeout 2s >/dev/null
# Real records around the one we crash on: their index entries share the tables.
zcat "$loc" >"$tmp/loc.mrc"
as alice import -q "$tmp/loc.mrc" >/dev/null 2>&1; ok $? "LoC sample imported"

# A large record (300 notes) in two versions that differ everywhere.
make_text() { # LETTER FILE
    {
        printf '%s\n' '=LDR  00000nam a2200000 a 4500' '=001  crash-1'
        printf '%s\n' '=008  240101s2024\\\\nyu\\\\\\\\\\\000\0\eng\d'
        printf '=245  10$aCrash %s.\n' "$1"
        n=1
        while [ $n -le 300 ]; do
            printf '=500  \\\\$aNote %d of version %s: the quick brown fox jumps over the lazy dog %d times.\n' $n "$1" $n
            n=$((n + 1))
        done
    } >"$2"
}
make_text A "$tmp/A.mrk"
make_text B "$tmp/B.mrk"
as alice import -q "$tmp/A.mrk" >/dev/null 2>&1; ok $? "the large record imported"
m=$(sql "SELECT mms FROM bib WHERE title LIKE 'Crash A%'")
like "$m" '^99[0-9]+1234$' "its MMS ID is $m"

# Which text is stored: A, B, or MIX (some fields of each, or neither).
stored() {
    as bob show --format mrk "$m" >"$tmp/cur.mrk" 2>/dev/null || { echo UNREADABLE; return; }
    a=$(grep -c 'version A\|^=245  10\$aCrash A\.$' "$tmp/cur.mrk")
    b=$(grep -c 'version B\|^=245  10\$aCrash B\.$' "$tmp/cur.mrk")
    if [ "$a" = 301 ] && [ "$b" = 0 ]; then echo A
    elif [ "$b" = 301 ] && [ "$a" = 0 ]; then echo B
    else echo "MIX($a A, $b B)"; fi
}
version() { sql "SELECT version FROM bib WHERE mms = '$m'"; }
# "ok" when the version table holds exactly 1..version-1 for the record.
history_ok() {
    v=$(version)
    h=$(sql "SELECT count(*) || ' ' || ifnull(min(number), 0) || ' ' || ifnull(max(number), 0) FROM version WHERE mms = '$m'")
    want="$((v - 1)) $([ "$v" -gt 1 ] && echo 1 || echo 0) $((v - 1))"
    [ "$h" = "$want" ] && echo ok || echo "version $v but history (count min max) $h"
}

# How long a whole run takes, to spread the kills over it.
t0=$(now_ns)
as alice edit "$m" --file "$tmp/B.mrk" >/dev/null 2>&1; ok $? "an uninterrupted edit --file works"
t1=$(now_ns)
window_us=$(((t1 - t0) * 12 / 10 / 1000))
echo "# a whole run takes $(((t1 - t0) / 1000000)) ms; kills land within $((window_us / 1000)) ms of the start"
is "$(stored)" B "the record holds text B"

i=1
killed=0 changed=0 unchanged=0 bad=0 released=0 expired=0
while [ $i -le "$runs" ]; do
    before=$(stored)
    v0=$(version)
    target=A
    [ "$before" = A ] && target=B
    delay=$(($(random) % window_us))
    "$bin" --repo "$repo" --user alice edit "$m" --file "$tmp/$target.mrk" >/dev/null 2>&1 &
    pid=$!
    sleep "$((delay / 1000000)).$(printf '%06d' $((delay % 1000000)))"
    kill -9 $pid 2>/dev/null
    { wait $pid; } 2>/dev/null
    [ $? = 137 ] && killed=$((killed + 1))
    msg=""
    # The lock of the killed process: released by its user, or left to expire.
    if as bob show --info "$m" | grep -q 'locked by alice'; then
        if [ $((released % 2)) = 1 ] && [ $expired -lt $((released / 2 + 1)) ]; then
            sleep 2.2
            EDITOR=true as bob edit "$m" >/dev/null 2>&1 || msg="$msg bob cannot edit after the lock expired;"
            expired=$((expired + 1))
        else
            as alice release "$m" >/dev/null 2>&1 || msg="$msg alice cannot release;"
            released=$((released + 1))
        fi
    fi
    as bob show --info "$m" | grep -q '^Lock: *not locked' || msg="$msg still locked afterwards;"
    ic=$(sqlite3 "$repo/iz.db" 'PRAGMA integrity_check' 2>&1)
    [ "$ic" = ok ] || msg="$msg iz.db integrity_check: $ic;"
    ic=$(sqlite3 "$repo/nz.db" 'PRAGMA integrity_check' 2>&1)
    [ "$ic" = ok ] || msg="$msg nz.db integrity_check: $ic;"
    after=$(stored)
    v=$(version)
    case "$after" in
    "$before")
        [ "$v" = "$v0" ] || msg="$msg content unchanged but version $v0 -> $v;"
        unchanged=$((unchanged + 1))
        ;;
    "$target")
        [ "$v" = $((v0 + 1)) ] || msg="$msg content changed but version $v0 -> $v;"
        changed=$((changed + 1))
        ;;
    *) msg="$msg record is $after;" ;;
    esac
    h=$(history_ok)
    [ "$h" = ok ] || msg="$msg $h;"
    t=$(sql "SELECT title FROM bib WHERE mms = '$m'")
    [ "$t" = "Crash $after" ] || msg="$msg brief title '$t' for text $after;"
    if [ -n "$msg" ]; then
        bad=$((bad + 1))
        echo "# run $i (kill after $delay us):$msg"
    fi
    i=$((i + 1))
done
echo "# $runs runs: $killed killed while running, $changed saved before the kill, $unchanged not saved; locks released $released, expired $expired"
is "$bad" 0 "after every kill: integrity ok, the old or the new text whole, history and brief columns consistent, lock releasable"
[ "$killed" -gt 0 ]; ok $? "kills landed while the process ran ($killed of $runs)"

# The repository goes on working.
before=$(stored)
target=A
[ "$before" = A ] && target=B
as alice edit "$m" --file "$tmp/$target.mrk" >/dev/null 2>&1; ok $? "a normal edit after the crashes saves"
is "$(stored)" "$target" "... and the record holds its text"
is "$(history_ok)" ok "... with a consistent history"
cur=$(version)
bad=0
v=1
while [ $v -le "$cur" ]; do
    as bob versions "$m" --show $v --format mrk | grep -q '^=245  10\$aCrash [AB]\.$' || bad=$((bad + 1))
    v=$((v + 1))
done
is $bad 0 "all $cur versions read back whole"

done_testing
