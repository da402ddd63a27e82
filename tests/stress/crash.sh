#!/bin/sh
# crash.sh - crash injection (issue 7 item 2; SPEC §8 "crash at any
# moment: the repository is as before the interrupted transaction, and the
# editor's draft is recoverable").  Round after round, one operation is
# killed with SIGKILL at a random point:
#   save             edit --file of a bib (linked ones too: their shared
#                    fields go to the network zone file)
#   relink-holdings  relink a holdings record (and its items) to another bib
#   relink-item      relink an item to other holdings
#   import           import of 30 bibs and 2 holdings records with items,
#                    in batches of 10 (an interrupted import resumes)
#   job-link-to-nz   link-to-nz job on a set of 10 (a job resumes)
#   job-normalize    normalize job on a set of 10
#   merge            Copy & Merge from a file
#   link             link one record to the network zone
# Two ways of killing: the test hook COLOPHON_CRASH_AT=N (core/repo.c: the
# process sends itself SIGKILL after N SQLite VM instructions; N drawn
# between the end of opening the repository and the operation's length,
# which COLOPHON_CRASH_COUNT measures on the uninterrupted run, so kills
# land inside statements and transactions), and, one round in three,
# `kill -9` from outside after a random delay within the operation's
# measured time; and, when strace is installed, one round in four is
# killed by strace's fault injection at a random fsync of the operation --
# its commit points (how many, an strace of the clean run counts); and a
# linked record's save is killed at each of its fsyncs in turn (the sweep).
#
# Each round first runs the same operation on a copy of the repository,
# uninterrupted: that gives the "after" state.  After the kill a colophon
# process opens the repository (as the next user would: opening finishes or
# drops a linked save a kill interrupted between its network zone and IZ
# commits, core/link.h), then:
#   - no unfinished linked save is left (link_pending is empty);
#   - lib.sh's invariants hold (integrity_check, one holdings per item, one
#     bib per holdings, counts, version histories, FTS integrity);
#   - the repository's state (records, titles, versions, links, holdings,
#     items, identifiers, counters, notes, reminders, jobs; not times and
#     locks) is exactly the "before" or the "after" state -- nothing half
#     done; for a save, the record's content is the old or new text, whole;
#   - an interrupted import, run again, and an interrupted job, resumed
#     ('job resume'), end in exactly the "after" state: no record twice,
#     none lost;
#   - the killed process's lock is released by its owner.
# With tmux, a few rounds kill the full-screen editor in the middle of an
# edit: reopening offers the draft and restores the edit.
#
# Usage: crash.sh COLOPHON GEN_RECORDS
#   CRASH_KILLS  kills to reach (default 24; the full run is 200)
#   CRASH_TUI    TUI kills among them (default 2; 0 without tmux)
#   CRASH_KINDS  the kinds to run (default: all, in turn)
#   CRASH_KEEP=DIR keep the repository and logs in DIR (and a copy of the
#                repository and of the clean run's after each failed round)
set -u
bin=$1
gen=$2
kills_wanted=${CRASH_KILLS:-24}
tui_wanted=${CRASH_TUI:-2}
N=1000 H=100 NZN=1000
. "$(dirname "$0")/../cli/tap.sh"
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 is not installed"; exit 0; }
if [ -n "${CRASH_KEEP:-}" ]; then
    tmp=$CRASH_KEEP
    rm -rf "$tmp"
    mkdir -p "$tmp"
else
    tmp=$(mktemp -d)
fi
cleanup() {
    [ -n "${tsock:-}" ] && tmux -S "$tsock" kill-server 2>/dev/null
    [ -z "${CRASH_KEEP:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT
repo=$tmp/repo
export TMPDIR=$tmp
unset VISUAL EDITOR COLOPHON_REPO COLOPHON_CRASH_AT
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac

stress_files "$tmp" $N $H $NZN; ok $? "$N records, $H holdings, $NZN network records generated"
stress_repo "$repo" "$tmp"; ok $? "repository built"
[ "$TAP_FAILED" = 0 ] || { echo "Bail out! the set-up failed"; exit 1; }
ca() { _r=$1; shift; "$bin" --repo "$_r" --user alice "$@"; }

# crashed COUNT CMD...: run CMD with the hook set to COUNT; its status.
# (The braces keep the shell's own "Killed" message out of the output.)
crashed() {
    _at=$1
    shift
    { COLOPHON_CRASH_AT=$_at "$@" >"$tmp/run.out" 2>&1; } 2>/dev/null
}
# Does this build have the hook?  (Builds with NDEBUG leave it out.)
crashed 1 ca "$repo" show --info "$(bibid 1)"
if [ $? = 137 ]; then hook=1; else hook=0; fi
# How many VM instructions opening the repository takes (a crash point
# below it is a crash before any operation starts): bisect on a read.
lo=1 base=100000
while [ $hook = 1 ] && [ $((base - lo)) -gt 16 ]; do
    mid=$(((lo + base) / 2))
    if crashed $mid ca "$repo" show --info "$(bibid 1)"; then base=$mid; else lo=$mid; fi
done
echo "# crash hook COLOPHON_CRASH_AT: $([ $hook = 1 ] && echo "present; opening takes about $lo VM instructions" || echo absent, kills by delay only)"

# The state an operation changes, as a hash: what must be wholly "before"
# or wholly "after".  Times and locks are left out (they differ between two
# runs of the same operation); record content is in titles, versions and
# lengths, and in the content checks of each kind.
digest_iz() {
    db "$1" "
SELECT 'b', mms, version, reason, ifnull(linked, ''), title, author, holdings, items,
       deleted_at IS NOT NULL, length(marc) FROM bib ORDER BY id;
SELECT 'h', mms, bib, version, reason, length(marc) FROM holding ORDER BY id;
SELECT 'i', mms, holding, barcode, status, description FROM item ORDER BY id;
SELECT 'v', mms, number, user, reason, length(marc) FROM version ORDER BY mms, number;
SELECT 'n', mms, text, author FROM note ORDER BY id;
SELECT 'r', mms, text, ifnull(due, ''), type, status, author FROM reminder ORDER BY id;
SELECT 'k', key, bib FROM ident ORDER BY key, bib;
SELECT 'c', type, next FROM counter ORDER BY type;
SELECT 'j', id, kind, state, total, done FROM job ORDER BY id;
SELECT 'jr', job, position, mms, outcome FROM job_result ORDER BY job, position;
SELECT 'ir', file_key, records_done, finished FROM import_run ORDER BY file_key;" |
        sha1sum | cut -c1-16
}
digest_nz() {
    nzdb "$1" "
SELECT 'B', mms, version, reason, title, length(marc) FROM bib ORDER BY id;
SELECT 'V', mms, number, user, reason, length(marc) FROM version ORDER BY mms, number;
SELECT 'K', key, bib FROM ident ORDER BY key, bib;
SELECT 'C', type, next FROM counter ORDER BY type;" | sha1sum | cut -c1-16
}
digest() { echo "$(digest_iz "$1")-$(digest_nz "$1")"; }

# prepare KIND ROUND: choose the operation's arguments (sets OP, a command
# line for `ca REPO`), make its files and sets, and remember what to check.
prepare() {
    case $1 in
    save) # every other save is of a linked record, when there is one
        m=""
        { [ $(($2 % 2)) = 0 ] || [ -n "$sweep_at" ]; } &&
            m=$(db "$repo" "SELECT mms FROM bib WHERE linked IS NOT NULL ORDER BY random() LIMIT 1")
        if [ -z "$m" ] && [ -n "$sweep_at" ]; then # the sweep needs a linked record
            m=$(db "$repo" "SELECT mms FROM bib WHERE linked IS NULL AND deleted_at IS NULL AND id <= $N / 2
                            ORDER BY random() LIMIT 1")
            ca "$repo" link "$m" --yes >/dev/null 2>&1
        fi
        [ -n "$m" ] || m=$(bibid "$(rand $N)")
        ca "$repo" show --format mrk "$m" >"$tmp/old.mrk"
        sed "s/^=245  \(..\)\\\$a.*/=245  \1\$aCrash save round $2./" "$tmp/old.mrk" >"$tmp/new.mrk"
        old_hash=$(mrk_hash <"$tmp/old.mrk") new_hash=$(mrk_hash <"$tmp/new.mrk")
        v=$(db "$repo" "SELECT version FROM bib WHERE mms = '$m'")
        OP="edit $m --file $tmp/new.mrk --base-version $v" ;;
    relink-holdings)
        h=$(holdid "$(rand $H)")
        b=$(db "$repo" "SELECT mms FROM bib WHERE id != (SELECT bib FROM holding WHERE mms = '$h')
                        AND deleted_at IS NULL AND id <= $H ORDER BY random() LIMIT 1")
        OP="relink $h --to $b --yes" ;;
    relink-item)
        i=$(itemid "$(rand $((2 * H)))")
        t=$(db "$repo" "SELECT mms FROM holding WHERE id != (SELECT holding FROM item WHERE mms = '$i')
                        ORDER BY random() LIMIT 1")
        OP="relink $i --to $t --yes" ;;
    import)
        "$gen" "$tmp/templates.mrk" 30 "$tmp/imp.mrc" 2>/dev/null
        ca "$repo" convert -q "$tmp/imp.mrc" "$tmp/imp.mrk"
        sed -i "s/^=001  bench/=001  cr$2-/; s/^=LDR .*/&\n=500  \\\\\\\\\$aCrash import round $2./" "$tmp/imp.mrk"
        for k in 1 2; do
            printf '=LDR  00000nx  a2200000un 4500\n=001  crh%s-%s\n=004  cr%s-00000000%s\n' $2 $k $2 $k
            printf '=008  2611240u    8   4001aaeng0000000\n=852  0\\$bMAIN$cNEW$hZ%s\n' $k
            printf '=876  \\\\$pC%s-%sa$3v.1\n=876  \\\\$pC%s-%sb$3v.2\n\n' $2 $k $2 $k
        done >>"$tmp/imp.mrk"
        mv "$tmp/imp.mrk" "$tmp/imp$2.mrk"
        OP="import -q --batch 10 $tmp/imp$2.mrk" ;;
    job-link-to-nz | job-normalize)
        if [ "$1" = job-link-to-nz ]; then
            db "$repo" "SELECT mms FROM bib WHERE linked IS NULL AND deleted_at IS NULL AND id <= $N / 2
                        ORDER BY random() LIMIT 10" >"$tmp/ids"
            P=""
        else
            db "$repo" "SELECT mms FROM bib WHERE deleted_at IS NULL ORDER BY random() LIMIT 10" >"$tmp/ids"
            P="rule=stress"
        fi
        ca "$repo" set create "crash$2" --ids "$tmp/ids" >/dev/null
        OP="job run ${1#job-} --set crash$2 $P" ;;
    merge) # onto the second half: linking (below) keeps to the first, whose
        # OCLC numbers stay unique to one bib
        m=$(bibid $((N / 2 + $(rand $((N / 2))))))
        ca "$repo" show --format mrk "$(bibid "$(rand $N)")" >"$tmp/src.mrk"
        OP="merge $m --from $tmp/src.mrk --yes" ;;
    link)
        m=$(db "$repo" "SELECT mms FROM bib WHERE linked IS NULL AND deleted_at IS NULL AND id <= $N / 2
                        ORDER BY random() LIMIT 1")
        OP="link $m --yes" ;;
    esac
}

kinds=${CRASH_KINDS:-save relink-holdings relink-item import job-link-to-nz job-normalize merge link}
nkinds=$(echo $kinds | wc -w)
round=0 killed=0 completed=0 bad=0 hookkills=0 delaykills=0 synckills=0 redone=0 dropped=0
strace=0
command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null && strace=1
# Under strace a sanitizer build's LeakSanitizer cannot stop the process to
# scan it (ptrace is taken) and fails the exit: no leak check there.
nolsan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
# The sweep of a linked save's commit points (below) needs strace; about 9 kills.
sweep_wanted=0
[ $strace = 1 ] && [ "$kills_wanted" -ge 20 ] && sweep_wanted=9
: >"$tmp/log"
max_rounds=$((kills_wanted * 4 + 20))
# one_round KIND: prepare, run uninterrupted on a copy, run and kill, check.
one_round() {
    round=$((round + 1))
    kind=$1
    prepare "$kind" $round
    # The same operation, uninterrupted, on a copy: the "after" state.
    rm -rf "$tmp/clean"
    cp -a "$repo" "$tmp/clean"
    t0=$(now_ns)
    rm -f "$tmp/count"
    COLOPHON_CRASH_COUNT=$tmp/count ca "$tmp/clean" $OP >"$tmp/clean.out" 2>&1
    cs=$?
    hi=$(cat "$tmp/count" 2>/dev/null || echo 0)
    syncs=0
    if [ $strace = 1 ] && [ $((round % 4)) = 1 ] && [ -z "$sweep_at" ]; then
        # The same again on another copy, to count its commit points.
        rm -rf "$tmp/clean2"
        cp -a "$repo" "$tmp/clean2"
        ASAN_OPTIONS=$nolsan strace -o "$tmp/syncs" -e trace=fsync,fdatasync "$bin" --repo "$tmp/clean2" --user alice $OP >/dev/null 2>&1
        syncs=$(grep -c 'sync(' "$tmp/syncs")
        rm -rf "$tmp/clean2"
    fi
    clean_us=$((($(now_ns) - t0) / 1000))
    after=$(digest "$tmp/clean")
    before=$(digest "$repo")
    if [ $cs != 0 ]; then
        echo "# round $round $kind: the uninterrupted run failed ($cs): $(head -3 "$tmp/clean.out")"
        bad=$((bad + 1))
        return
    fi
    # The run that is killed.
    if [ -n "$sweep_at" ] || [ "$syncs" -gt 0 ]; then
        # SIGKILL at a random fsync: a commit point (or the WAL's header).
        mode=sync
        at=${sweep_at:-$(rand "$syncs")}
        { ASAN_OPTIONS=$nolsan strace -o /dev/null -e trace=fsync,fdatasync -e inject=fsync,fdatasync:signal=SIGKILL:when=$at \
            "$bin" --repo "$repo" --user alice $OP >"$tmp/run.out" 2>&1; } 2>/dev/null
        s=$?
    elif [ $hook = 1 ] && [ $((round % 3)) != 0 ]; then
        mode=hook
        at=$((lo + $(rand $((hi > lo ? hi - lo : 1)))))
        crashed $at ca "$repo" $OP
        s=$?
    else
        mode=delay
        at=$(($(random) % (clean_us * 12 / 10 + 1)))
        ca "$repo" $OP >"$tmp/run.out" 2>&1 &
        pid=$!
        sleep "$((at / 1000000)).$(printf '%06d' $((at % 1000000)))"
        kill -9 $pid 2>/dev/null
        { wait $pid; } 2>/dev/null
        s=$?
    fi
    msg=""
    if [ $s = 137 ]; then
        killed=$((killed + 1))
        case $mode in
        hook) hookkills=$((hookkills + 1)) ;;
        sync) synckills=$((synckills + 1)) ;;
        *) delaykills=$((delaykills + 1)) ;;
        esac
    elif [ $s = 0 ]; then
        completed=$((completed + 1))
    else
        msg="$msg exit $s: $(head -2 "$tmp/run.out" | tr '\n' ' ');"
    fi
    # A linked save killed between its commits left its intent (redo log,
    # core/link.h); opening the repository (here, or the release below)
    # finishes or drops it.
    pend=$(db "$repo" "SELECT count(*) FROM link_pending")
    # The killed process's locks: its owner releases them.
    for lm in $(db "$repo" "SELECT mms FROM lock WHERE user = 'alice'"); do
        ca "$repo" release "$lm" >/dev/null 2>&1 || msg="$msg alice cannot release $lm;"
    done
    ca "$repo" show --info "$(bibid 1)" >/dev/null 2>&1 || msg="$msg opening the repository after the kill failed;"
    [ "$(db "$repo" "SELECT count(*) FROM link_pending")" = 0 ] ||
        msg="$msg an unfinished linked save is left after opening;"
    o=$(stress_check "$repo")
    [ -z "$o" ] || msg="$msg $(echo "$o" | head -3 | tr '\n' ';')"
    now=$(digest "$repo")
    state=mixed
    [ "$now" = "$before" ] && state=before
    [ "$now" = "$after" ] && state=after
    if [ "$pend" != 0 ]; then
        [ $state = after ] && redone=$((redone + 1)) && state=after-rolled-forward
        [ $state = before ] && dropped=$((dropped + 1)) && state=before-dropped
    fi
    if [ $kind = save ] && [ "${state%%-*}" = after ] && [ -n "$(db "$repo" "SELECT linked FROM bib WHERE mms = '$m'")" ]; then
        # The IZ row of a linked save is in step: its brief title and words.
        t=$(db "$repo" "SELECT title FROM bib WHERE mms = '$m'")
        case $t in "Crash save round $round"*) ;; *) msg="$msg the IZ title is '$t';" ;; esac
        ca "$repo" search "title=\"crash save round $round\"" | grep -q "^$m " ||
            msg="$msg a search does not find the new title;"
    fi
    case $kind in
    import)
        # Run again: resumes (or does it all); must end as the clean run.
        ca "$repo" $OP >"$tmp/resume.out" 2>&1 || msg="$msg the import run again failed: $(head -2 "$tmp/resume.out");"
        [ "$(digest "$repo")" = "$after" ] || msg="$msg after the import ran again the state is not the clean run's ($state before it);"
        n=$(db "$repo" "SELECT count(*) FROM bib WHERE title != '' AND mms IN (SELECT b.mms FROM bib b JOIN ident k ON k.bib = b.id WHERE k.key LIKE 'c:cr$round-%')")
        [ "$n" = 30 ] || msg="$msg $n bibs of the import's 30 are in the repository;"
        [ "$state" != mixed ] && state="$state, ran again"
        [ "$state" = mixed ] && state="partial, resumed"
        ;;
    job-*)
        j=$(db "$repo" "SELECT max(id) FROM job WHERE set_id = (SELECT id FROM record_set WHERE name = 'crash$round')")
        if [ -n "$j" ] && [ "$state" != after ]; then
            ca "$repo" job resume "$j" >"$tmp/resume.out" 2>&1
            rs=$?
            [ $rs = 0 ] || msg="$msg job resume $j exited $rs: $(head -2 "$tmp/resume.out" | tr '\n' ' ');"
            [ "$(digest "$repo")" = "$after" ] || msg="$msg after job resume the state is not the clean run's;"
            state="$state, resumed"
        elif [ "$state" = mixed ]; then
            msg="$msg state neither before nor after and no job to resume;"
        fi
        ;;
    *)
        [ "$state" = mixed ] && msg="$msg state neither before nor after;"
        ;;
    esac
    if [ "$kind" = save ]; then
        h=$(ca "$repo" show --format mrk "$m" | mrk_hash)
        if [ "$h" = "$old_hash" ]; then c=old; elif [ "$h" = "$new_hash" ]; then c=new; else c=other; fi
        case "$state:$c" in
        before*:old | after*:new) ;;
        *) msg="$msg state $state but the record holds the $c text;" ;;
        esac
    fi
    case $kind in relink-*)
        o=$(stress_holdings_004 "$repo")
        [ -z "$o" ] || msg="$msg $o;" ;;
    esac
    echo "$round $kind $mode $at $s $state" >>"$tmp/log"
    if [ -n "$msg" ]; then
        bad=$((bad + 1))
        echo "# round $round $kind ($mode $at, exit $s, state $state):$msg" | tee -a "$tmp/problems"
        [ -n "${CRASH_KEEP:-}" ] && cp -a "$repo" "$tmp/bad$round" && cp -a "$tmp/clean" "$tmp/bad$round.clean"
    fi
}

sweep_at=""
while [ $killed -lt $((kills_wanted - tui_wanted - sweep_wanted)) ] && [ $round -lt $max_rounds ]; do
    one_round "$(echo $kinds | cut -d' ' -f$((round % nkinds + 1)))"
done
# Every commit point of a linked record's save, in turn: strace kills it at
# its first fsync, then its second, ... until a run completes.  Some fall
# between the intent's commit and the network zone's, some between the
# network zone's and the IZ's (core/link.h): dropped, rolled forward.
if [ "$sweep_wanted" -gt 0 ]; then
    sweep_at=1
    while [ "$sweep_at" -le 40 ]; do
        one_round save
        [ "$s" = 137 ] || break
        sweep_at=$((sweep_at + 1))
    done
    echo "# a linked save killed at each of its fsyncs in turn: $(awk '$3 == "sync" && $2 == "save"' "$tmp/log" | tail -n "$sweep_at" | awk '{ print $6 }' | tr '\n' ' ')"
    sweep_at=""
fi
while [ $killed -lt $((kills_wanted - tui_wanted)) ] && [ $round -lt $max_rounds ]; do
    one_round "$(echo $kinds | cut -d' ' -f$((round % nkinds + 1)))"
done
rm -rf "$tmp/clean"
echo "# $round rounds: $killed killed ($hookkills by the hook, $synckills at an fsync by strace, $delaykills by kill -9 after a delay), $completed completed before the kill"
echo "# linked saves killed between their commits: $redone rolled forward, $dropped dropped when the repository was next opened"
awk '$5 == 137 { k[$2]++ } END { for (x in k) printf "#   %-16s %d kills\n", x, k[x] }' "$tmp/log" | sort
echo "# states after the kills: $(awk '$5 == 137 { print $6 }' "$tmp/log" | sort | uniq -c | tr '\n' ';')"
is "$bad" 0 "after every kill: invariants hold, each operation wholly done or not at all, imports and jobs resume to the clean result"
[ $killed -ge $((kills_wanted - tui_wanted)) ]; ok $? "$killed kills of CLI operations (wanted $((kills_wanted - tui_wanted)))"

# ---- the full-screen editor killed in the middle of an edit ----
tui_kills=0 tui_bad=0
if [ "$tui_wanted" -gt 0 ] && command -v tmux >/dev/null 2>&1; then
    tsock=$tmp/tmux.sock
    export XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config TMUX_TMPDIR=$tmp
    mkdir -p "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
    unset TMUX NO_COLOR
    tx() { tmux -S "$tsock" -f /dev/null "$@"; }
    screen_has() { # SESSION TEXT [SECONDS]
        _t=$((${3:-10} * 10))
        while [ $_t -gt 0 ]; do
            tx capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
            sleep 0.1
            _t=$((_t - 1))
        done
        return 1
    }
    tstart() { # SESSION MMS
        tx new-session -d -s "$1" -x 100 -y 30 "exec env TERM=screen-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' '$bin' --repo '$repo' --user alice edit $2"
        tx set-option -t "$1" remain-on-exit on >/dev/null
    }
    # A session that stays, so that the server outlives the editors'.
    tx new-session -d -s keep "sleep 100000"
    k=1
    while [ $k -le "$tui_wanted" ]; do
        m=$(bibid "$(rand $N)")
        ca "$repo" release "$m" >/dev/null 2>&1
        tstart t$k "$m"
        msg=""
        screen_has t$k "Locked by you until" || msg="$msg the editor did not open $m;"
        # Down to the 245, to its end: the cursor starts on the field after
        # the leader; count the fields between (a validation mark may
        # precede a tag; a long field's continuation rows have none).
        rows=$(tx capture-pane -p -t t$k | awk '/^.?LDR / { l = 1; next } /^.?245 / { exit }
            l && /^.?[0-9][0-9][0-9] / { n++ } END { print n + 0 }')
        while [ "${rows:-0}" -gt 0 ]; do tx send-keys -t t$k Down; rows=$((rows - 1)); done
        tx send-keys -t t$k End
        tx send-keys -t t$k -l " crashdraft$k"
        screen_has t$k "crashdraft$k" || msg="$msg the typed text is not on the screen;"
        sleep "0.$(rand 3)"
        kill -9 "$(tx display-message -p -t t$k '#{pane_pid}')" 2>/dev/null
        sleep 0.3
        [ "$(tx display-message -p -t t$k '#{pane_dead}')" = 1 ] && tui_kills=$((tui_kills + 1)) ||
            msg="$msg the editor survived kill -9;"
        tx kill-session -t t$k
        tstart r$k "$m"
        screen_has r$k "Unsaved edits of $m" || msg="$msg reopening does not offer the draft;"
        tx send-keys -t r$k y
        screen_has r$k "crashdraft$k" || msg="$msg the restored draft lacks the edit;"
        tx send-keys -t r$k C-s
        screen_has r$k "Saved $m as version" || msg="$msg the restored draft does not save;"
        tx send-keys -t r$k C-q
        sleep 0.3
        tx kill-session -t r$k 2>/dev/null
        ca "$repo" show "$m" | grep -q "crashdraft$k" || msg="$msg the saved record lacks the edit;"
        if [ -n "$msg" ]; then
            tui_bad=$((tui_bad + 1))
            echo "# editor kill $k on $m:$msg"
        fi
        k=$((k + 1))
    done
    is "$tui_bad" 0 "$tui_kills kills of the editor mid-edit: each draft offered, restored and saved"
    killed=$((killed + tui_kills))
elif [ "$tui_wanted" -gt 0 ]; then
    echo "# tmux is not installed: no editor kills"
fi
echo "# kills in total: $killed"
[ $killed -ge "$kills_wanted" ] || ! command -v tmux >/dev/null 2>&1; ok $? "at least $kills_wanted kills in total"

# The repository goes on working after all this.
o=$(stress_check "$repo")
is "$o" "" "the invariants hold at the end"
m=$(bibid 7)
ca "$repo" show --format mrk "$m" | sed 's/^=245  \(..\)\$a.*/=245  \1$aAfter the crashes./' >"$tmp/e.mrk"
ca "$repo" edit "$m" --file "$tmp/e.mrk" >/dev/null 2>&1; ok $? "a normal save works after the crashes"
like "$(ca "$repo" search 'title=crashes')" "^$m " "... and the search finds it"
done_testing
