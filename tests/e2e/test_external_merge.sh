#!/bin/sh
# Copy & Merge from a Zebra target in the editor (SPEC §3.5, seed 002):
# a real zebrasrv on a free 127.0.0.1 port, loaded with the LoC sample
# (tests/cli/zebra.sh and tests/data/zebra, shared with the Z39.50 client
# tests), added as a target; in tmux the cataloger opens a record, goes to
# the External tab, searches, views a hit, asks for Copy & Merge, reads the
# dry run, confirms, and sees the record reloaded; `colophon versions`
# lists the merge.  Then the same server through a proxy that breaks one
# record on its way (tests/cli/record-breaker.py): the good hit is listed,
# the broken one says where it is malformed and cannot be merged.  Before that, the failures a cataloger meets: a target
# that is down, one that answers with a Bib-1 diagnostic, and one that
# never answers (the screen keeps drawing, Esc cancels).
. "$(dirname "$0")/lib.sh"
. "$E2E_LIB_DIR/../cli/zebra.sh"
e2e_init "$1"
if ! zebra_have; then
    echo "1..0 # SKIP zebrasrv/zebraidx not installed (Debian package idzebra-2.0)"
    exit 0
fi
trap 'zebra_stop; e2e_cleanup' EXIT
e2e_repo

# the local record: a local note (kept by the merge) and a 998 (a monograph loses it)
cli show "$MMS1" --format mrk | sed '/^$/d' >"$E2E_DIR/local.mrk" &&
    printf '=910  \\\\$aLocal note: gift of the Friends\n=998  \\\\$ano overlay\n' \
        >>"$E2E_DIR/local.mrk" &&
    cli edit "$MMS1" --file "$E2E_DIR/local.mrk" >/dev/null 2>&1
ok $? "the local record gets a 910 and a 998 (version 2)"

port=$(free_port)
zebra_start "$E2E_DIR/zebra" "$E2E_LIB_DIR/../data/zebra" "$port" "$E2E_DIR/loc.mrc"
ok $? "zebrasrv serves the LoC sample on 127.0.0.1:$port"
cli external add zebra "127.0.0.1:$port/Default" timeout=10 >/dev/null &&
    cli external add gone "127.0.0.1:$(free_port)/Default" timeout=5 >/dev/null &&
    cli external add odd "127.0.0.1:$port/Default" map.title=9999 >/dev/null
ok $? "targets zebra, gone (nobody listens there), odd (titles as a Use attribute Zebra lacks)"
# a socket that accepts and never answers (the search waits until Esc)
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(300)' >"$E2E_DIR/silent.port" &
silent_pid=$!
trap 'kill $silent_pid 2>/dev/null; zebra_stop; e2e_cleanup' EXIT
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$E2E_DIR/silent.port" ] && break; sleep 0.1; done
cli external add silent "127.0.0.1:$(cat "$E2E_DIR/silent.port")/Default" timeout=30 >/dev/null
ok $? "target silent (accepts, never answers)"
# zebrasrv behind a proxy that breaks the directory of the record holding
# 11224467 (the second "How to program a computer") on its way
bport=$(free_port)
python3 "$E2E_LIB_DIR/../cli/record-breaker.py" "$bport" "$port" 11224467 >/dev/null 2>&1 &
breaker_pid=$!
trap 'kill $silent_pid $breaker_pid 2>/dev/null; zebra_stop; e2e_cleanup' EXIT
wait_port "$bport" 10 && cli external add zebra-broken "127.0.0.1:$bport/Default" timeout=10 >/dev/null
ok $? "target zebra-broken (zebrasrv through a proxy that breaks one record)"

e2e_start ed -x 100 -y 30 -- edit "$MMS1"
check "the record opens" e2e_wait ed "Locked by you until"
e2e_keys ed M-2
check "M-2 shows the External tab with the first target" e2e_wait ed "gone> "
check "the query is made from the record's title" \
    e2e_wait ed 'title="How to program a computer"'

# a target that is down: a clear message, the editor goes on
e2e_keys ed Enter
check "a target that is down says so" e2e_wait ed "refused the connection"
check "... in the message line too" e2e_wait ed "Search failed: gone refused"

# a target that answers with a diagnostic
e2e_keys ed F3
check "F3 goes to the next target" e2e_wait ed "odd> "
e2e_keys ed Enter
check "the target's diagnostic is shown" e2e_wait ed "Search failed: odd answered with Bib-1 diagnostic 114: Unsupported Use attribute: 9999"

# a target that does not answer: the screen keeps drawing, Esc cancels
e2e_keys ed F3
check "F3 goes on to silent" e2e_wait ed "silent> "
e2e_keys ed Enter
check "the search runs in the background" e2e_wait ed "Searching silent..."
check "... with the seconds going by" e2e_wait ed "Searching silent... 2 s"
e2e_keys ed Escape
check "Esc cancels it" e2e_wait ed "Search of silent cancelled"

# the Zebra target: search, view, Copy & Merge
e2e_keys ed F3
check "F3 goes on to zebra" e2e_wait ed "zebra> "
e2e_keys ed Enter
check "the hits are listed" e2e_wait ed "2 records from zebra"
check "... as brief lines" e2e_wait ed "1. How to program a computer"
e2e_keys ed Enter
check "Enter shows the hit whole beside the local record" e2e_wait ed "zebra record 1 of 2"
e2e_keys ed m
check "m shows the dry run of Copy & Merge" e2e_wait ed "Copy & Merge zebra record 1 onto"
check "... with the merge rule" e2e_wait ed "Merge rule: Colophon default merge"
check "... and the 998 a monograph loses" e2e_wait ed "998 removed"
e2e_keys ed F10
check "F10 zooms the dry run: the 998 goes" e2e_wait ed "- 998 __ \$\$ano overlay"
check "... the local 910 survives" e2e_wait ed "= 910 __ \$\$aLocal note: gift of the Friends  (local)"
no_merge_yet() { ! cli versions "$MMS1" 2>&1 | grep -q merge; }
check "nothing is written by the dry run" no_merge_yet
e2e_keys ed Enter
check "Enter asks before applying" e2e_wait ed "Copy & Merge onto $MMS1? (a new version)"
e2e_keys ed y
check "the record is reloaded as version 3" e2e_wait ed " v3 "
check "... and the message says what happened" e2e_wait ed "Copy & Merge: $MMS1 is now version 3"
check "the local 910 survived on the left" e2e_wait ed "910 __ \$\$aLocal note"
e2e_wait_gone ed "998 __" 3
ok $? "the 998 is gone from the left"
like "$(cli versions "$MMS1" 2>&1)" "3 .* merge" "colophon versions lists version 3 (merge)"
like "$(cli show "$MMS1" 2>&1)" "910 .*Local note" "the stored record keeps the 910"

# a real server's record broken on the way: the others are usable, the
# broken one says what is wrong with it and cannot be merged
e2e_keys ed M-2 Escape
e2e_wait_gone ed "zebra record 1 of 2" 3
ok $? "M-2 and Esc leave the hit's view"
e2e_keys ed Up F3
check "F3 goes on to zebra-broken" e2e_wait ed "zebra-broken> "
e2e_keys ed Enter
check "both hits are listed" e2e_wait ed "2 records from zebra-broken"
check "... the first as a brief line" e2e_wait ed "1. How to program a computer"
check "... the second as unusable" e2e_wait ed "2. (cannot be used)"
check "... saying what is wrong with it, where" e2e_wait ed "   malformed: byte 27: 001[1]"
e2e_keys ed Down Enter
check "Enter on it: it cannot be used, and why" \
    e2e_wait ed "Record 2 from zebra-broken cannot be used: malformed: byte 27: 001[1]: error: directory entry 1 has"
e2e_keys ed m
sleep 0.5
no_plan() { ! e2e_screen ed | grep -q "Copy & Merge zebra-broken record 2"; }
check "m on it: no Copy & Merge dry run either" no_plan
check "... the message stays" e2e_wait ed "Record 2 from zebra-broken cannot be used"
is "$(cli versions "$MMS1" 2>&1 | grep -c merge)" 1 "nothing was written: still one merge version"
e2e_keys ed C-q
done_testing
