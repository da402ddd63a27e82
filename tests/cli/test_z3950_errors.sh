#!/bin/sh
# test_z3950_errors.sh - what `colophon external` says when a target fails
# (issue 5, item 4): a closed port (connection refused), an unknown host, a
# peer that accepts and never answers (the timeout, kept: nothing waits
# past it), a peer that hangs up, one that answers with something that is
# not Z39.50, a server that is slow (yaz-ztest's search-delay), a target's
# own Bib-1 diagnostic (Zebra), and the queries that cannot be sent.  Each
# message names the target and the problem; exit codes per SPEC §6: 1 for
# what the user can fix (diagnostic, bad query), 4 for I/O.
# Usage: test_z3950_errors.sh COLOPHON_BINARY TESTS_DATA_DIR
set -u
bin=$1
data=$2
here=$(dirname "$0")
. "$here/tap.sh"
. "$here/zebra.sh"
tmp=$(mktemp -d)
peers=""
trap 'zebra_stop; for p in $peers; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset COLUMNS
repo=$tmp/repo
c() { "$bin" --repo "$repo" "$@"; }
now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "import sys; print('%.1f' % ($(now) - $1))"; }
within() { python3 -c "import sys; sys.exit(0 if $1 <= $2 else 1)"; }

# A misbehaving peer on a free port: silent (accepts, reads, never
# answers), hangup (accepts and closes) or garbage (answers with bytes that
# are no Z39.50 PDU).  Sets peer_port (not run in $(...): the background
# process would hold the substitution's pipe open).
peer() {
    pport=$(free_port)
    python3 - "$1" "$pport" >/dev/null 2>&1 <<'EOF' &
import socket, sys, time
mode, port = sys.argv[1], int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(8)
held = []
while True:
    conn, _ = s.accept()
    if mode == "hangup":
        conn.close()
        continue
    conn.settimeout(2)
    try:
        conn.recv(65536)
    except OSError:
        pass
    if mode == "garbage":
        conn.sendall(b"\x30\x03\x02\x01\x05" + b"this is not a Z39.50 PDU at all" * 4)
        time.sleep(0.2)
        conn.close()
    else:
        held.append(conn)  # silent: keep it open, say nothing
EOF
    peers="$peers $!"
    wait_port "$pport" 10
    peer_port=$pport
}

c init --institution 1234 >/dev/null; ok $? "init"

# --- nothing listens: connection refused ---
closed=$(free_port)
c external add closed "127.0.0.1:$closed/Default" timeout=5 >/dev/null
t0=$(now)
o=$(c external search closed 'title=computer' 2>&1); is $? 4 "a closed port: exit 4 (I/O)"
like "$o" "^colophon external: closed refused the connection: nothing listens at 127.0.0.1 port $closed\$" \
    "... 'refused the connection: nothing listens at HOST port N'"
within "$(elapsed "$t0")" 2; ok $? "... at once, not after the timeout"

# --- an unknown host ---
c external add nohost nosuchhost.invalid:210/Default timeout=3 >/dev/null
t0=$(now)
o=$(c external search nohost 'title=computer' 2>&1); rc=$?
is $rc 4 "an unknown host: exit 4"
like "$o" "nohost: the host name nosuchhost.invalid cannot be found|cannot reach nohost" "... says the host cannot be found"
within "$(elapsed "$t0")" 5; ok $? "... within the timeout (3 s) and a second"

# --- a peer that accepts and never answers: the timeout ---
peer silent; silent=$peer_port
c external add silent "127.0.0.1:$silent/Default" timeout=2 >/dev/null
t0=$(now)
o=$(c external search silent 'title=computer' 2>&1); rc=$?
t=$(elapsed "$t0")
is $rc 4 "a silent peer: exit 4"
like "$o" "^colophon external: no answer from silent \(127.0.0.1:$silent/Default\) within 2 s\$" \
    "... 'no answer from NAME (ADDRESS) within 2 s'"
within "$t" 3; ok $? "... after the timeout, not later ($t s <= 3 s)"
within 1.9 "$t"; ok $? "... and not before it ($t s >= 1.9 s)"
# show of a record not fetched re-runs the search: the same timeout applies
o=$(c external show silent 1 2>&1); is $? 1 "show with no search of the silent target: exit 1"

# --- a peer that hangs up ---
peer hangup; hangup=$peer_port
c external add hangup "127.0.0.1:$hangup/Default" timeout=5 >/dev/null
t0=$(now)
o=$(c external search hangup 'title=computer' 2>&1); is $? 4 "a peer that hangs up: exit 4"
like "$o" "hangup \(127.0.0.1:$hangup/Default\) closed the connection before answering|refused the Z39.50/SRU connection" \
    "... says it closed the connection"
within "$(elapsed "$t0")" 2; ok $? "... at once"

# --- a peer that answers with something else ---
peer garbage; garbage=$peer_port
c external add garbage "127.0.0.1:$garbage/Default" timeout=5 >/dev/null
o=$(c external search garbage 'title=computer' 2>&1); is $? 4 "a peer that does not speak Z39.50: exit 4"
like "$o" "garbage .*(not Z39.50|closed the connection)" "... says so"

# --- a real server's record that is malformed ---
# `colophon serve` on the LoC sample behind record-breaker.py, a proxy that
# passes every PDU through but breaks the ISO 2709 directory of the record
# whose 001 is BAD.  Sets peer_port.
breaker() {
    pport=$(free_port)
    python3 "$here/record-breaker.py" "$pport" "$1" "$2" >/dev/null 2>&1 &
    peers="$peers $!"
    wait_port "$pport" 10
    peer_port=$pport
}

srv=$tmp/served
"$bin" --repo "$srv" init --institution 5678 >/dev/null &&
    zcat /usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz >"$tmp/sample.mrc" &&
    "$bin" --repo "$srv" import "$tmp/sample.mrc" >/dev/null 2>&1
ok $? "a repository to serve (the LoC sample)"
sport=$(free_port)
"$bin" --repo "$srv" serve --listen "tcp:127.0.0.1:$sport" --daemon --pidfile "$tmp/served.pid" >/dev/null 2>&1
ok $? "colophon serve on port $sport"
peers="$peers $(cat "$tmp/served.pid")"
# the three records of subject=processing, in the order the server gives them:
# MMS IDs, and the first three words of the titles of the first and third
hits=$("$bin" --repo "$srv" search 'subject=processing')
is "$(printf '%s\n' "$hits" | wc -l)" 3 "subject=processing: 3 records on the server"
nth() { printf '%s\n' "$hits" | sed -n "${1}p" | cut -d' ' -f1; }
words() { printf '%s\n' "$hits" | sed -n "${1}p" | sed 's/^[0-9]* *IZ *[0-9-]* *//' | cut -d' ' -f1-3; }
good1=$(nth 1) bad=$(nth 2) good3=$(nth 3) title1=$(words 1) title3=$(words 3)
breaker "$sport" "$bad"
c external add broken "127.0.0.1:$peer_port/Default" timeout=5 >/dev/null
o=$(c external search broken 'subject=processing' 2>"$tmp/broken.err"); rc=$?
is $rc 1 "a malformed record among the hits: exit 1"
like "$(cat "$tmp/broken.err")" "^colophon external: record 2 from broken is malformed: .*directory entry 1 has a non-numeric length or start \"XXXXXXXXX\"" \
    "... 'record 2 from broken is malformed: ' and what is wrong with it"
like "$o" "^ *1  .*$title1" "... record 1 is listed ($title1 ...)"
like "$o" "^ *2  \(unusable: see the message\)" "... record 2 is marked unusable"
like "$o" "^ *3  .*$title3" "... record 3 is listed ($title3 ...)"
o=$(c external show broken 2 2>&1); is $? 1 "external show broken 2: exit 1"
like "$o" "record 2 from broken is malformed: .*directory entry 1" "... with the same message"
o=$(c external show broken 1 2>&1); is $? 0 "external show broken 1: shown"
like "$o" "^001 +$good1" "... the record, its 001 the server's MMS ID"
o=$(c external show broken 3 2>&1); is $? 0 "external show broken 3: shown"
like "$o" "^001 +$good3" "... the record"
c external add unbroken "127.0.0.1:$sport/Default" timeout=5 >/dev/null
o=$(c external search unbroken 'subject=processing' 2>&1); is $? 0 "the same server without the proxy: every record usable"
ok $(printf '%s\n' "$o" | grep -q unusable && echo 1 || echo 0) "... record 2 too"

# --- a slow real server (yaz-ztest with a search delay) ---
if command -v yaz-ztest >/dev/null 2>&1; then
    zt=$(free_port)
    (cd "$tmp" && exec yaz-ztest -l "$tmp/ztest.log" "tcp:127.0.0.1:$zt") >/dev/null 2>&1 &
    peers="$peers $!"
    wait_port "$zt" 10
    c external add slow "127.0.0.1:$zt/Default?search-delay=6" timeout=2 >/dev/null
    c external add ztest "127.0.0.1:$zt/Default" timeout=5 >/dev/null
    t0=$(now)
    o=$(c external search slow 'title=5' 2>&1); rc=$?
    t=$(elapsed "$t0")
    is $rc 4 "yaz-ztest taking 6 s to search, timeout 2: exit 4"
    like "$o" "no answer from slow .* within 2 s" "... the timeout message"
    within "$t" 3; ok $? "... given up after $t s"
    o=$(c external search ztest 'title=5' 2>&1); is $? 0 "the same server without the delay answers"
    like "$o" "ztest: 5 records" "... with the hits it was asked for"
    o=$(c external add ztbad "127.0.0.1:$zt/NoSuchDb" >/dev/null; c external search ztbad 'title=3' 2>&1)
    is $? 1 "a database the server does not have: exit 1"
    like "$o" "ztbad answered with Bib-1 diagnostic 109: Database unavailable" "... the Bib-1 diagnostic quoted"
else
    ok 0 "# SKIP yaz-ztest not installed"
fi

# --- a target's diagnostics: Zebra ---
if zebra_have; then
    zcat /usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz >"$tmp/loc.mrc"
    zport=$(free_port)
    zebra_start "$tmp/zebra" "$data/zebra" "$zport" "$tmp/loc.mrc"
    ok $? "zebrasrv on port $zport"
    c external add zeb "127.0.0.1:$zport/Default" map.subject=9999 map.issn=1=8,2=99 >/dev/null
    o=$(c external search zeb 'subject=computers' 2>&1); is $? 1 "Zebra refuses Use 9999: exit 1"
    like "$o" "^colophon external: zeb answered with Bib-1 diagnostic 114: Unsupported Use attribute: 9999\$" \
        "... the Bib-1 diagnostic text and its additional information"
    o=$(c external search zeb 'issn=1064-3923' 2>&1); is $? 1 "Zebra refuses relation 99: exit 1"
    like "$o" "zeb answered with Bib-1 diagnostic 117: Unsupported Relation attribute" "... diagnostic 117"
    c external add zebwrong "127.0.0.1:$zport/NoSuchDb" >/dev/null
    o=$(c external search zebwrong 'title=computer' 2>&1); is $? 1 "a database Zebra does not have: exit 1"
    like "$o" "zebwrong answered with Bib-1 diagnostic 109: Database unavailable: NoSuchDb" "... diagnostic 109 with the name"
    o=$(c external search zeb 'title=computer' 2>&1); is $? 0 "the target is fine for the next search"
else
    ok 0 "# SKIP zebrasrv not installed"
fi

# --- queries that cannot be sent ---
c external add q 127.0.0.1:1/Default map.oclc=none >/dev/null
o=$(c external search q 'title=(computer' 2>&1); is $? 1 "a malformed query: exit 1, before connecting"
like "$o" "column" "... the message names the column"
o=$(c external search q 'oclc=12345' 2>&1); is $? 1 "an index the target does not have"
like "$o" "q has no oclc index" "... says so"
c external add q2 127.0.0.1:1/Default >/dev/null
o=$(c external search q2 'oclc=notanumber' 2>&1); is $? 1 "an OCLC number that is none"
like "$o" "'notanumber' is not an OCLC number" "... says so"
o=$(c external search q 'barcode=123' 2>&1); is $? 1 "a repository-only index"
like "$o" "barcode is an index of the repository; q cannot search it" "... says so"
o=$(c external search q 'NOT computer' 2>&1); is $? 1 "a query that starts with NOT"
like "$o" "cannot start with NOT" "... says why"
o=$(c external search nosuch 'computer' 2>&1); is $? 1 "an unknown target: exit 1"
like "$o" "nosuch" "... named"

# --- Ctrl-C cancels a search at once ---
c external add silent2 "127.0.0.1:$silent/Default" timeout=60 >/dev/null
"$bin" --repo "$repo" external search silent2 'computer' >"$tmp/cancel.out" 2>&1 &
sp=$!
sleep 0.5
t0=$(now)
kill -INT "$sp"
wait "$sp"; rc=$?
ok $([ "$rc" -ne 0 ] && echo 0 || echo 1) "SIGINT cancels a search (exit $rc)"
within "$(elapsed "$t0")" 1; ok $? "... at once, not after the 60 s timeout"
like "$(cat "$tmp/cancel.out")" "cancelled" "... and says it was cancelled"

done_testing
