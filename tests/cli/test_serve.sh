#!/bin/sh
# test_serve.sh - `colophon serve` on a repository loaded with the LoC
# sample, questioned by independent clients: yaz-client (Z39.50 search with
# Bib-1 attributes, present in USMARC and MARCXML, scan, Extended Services
# record update) and python3's urllib (SRU searchRetrieve and scan over
# HTTP with CQL).
# Bad queries get Bib-1 / SRU diagnostics and the server keeps serving;
# daemon mode writes and removes its pid file; the server is read-only
# unless --allow-update, and updates are checked against the repository's
# users, passwords and roles.
# Usage: test_serve.sh COLOPHON_BINARY
set -u
bin=$1
here=$(dirname "$0")
. "$here/tap.sh"
. "$here/zebra.sh" # free_port, wait_port
if ! command -v yaz-client >/dev/null 2>&1; then
    echo "1..0 # SKIP yaz-client not installed (Debian package yaz)"
    exit 0
fi
tmp=$(mktemp -d)
fgpid=""
stop_all() {
    for f in "$tmp"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
    [ -n "$fgpid" ] && kill "$fgpid" 2>/dev/null
}
trap 'stop_all; rm -rf "$tmp"' EXIT
unset COLUMNS
loc=/usr/share/doc/idzebra-2.0/examples
repo=$tmp/repo
c() { "$bin" --repo "$repo" "$@"; }
bibid() { printf '99%09d1234' $((100000000 + $1)); }

# yaz-client PORT COMMANDS... : one session, the commands one a line.
yc() {
    yport=$1
    shift
    { [ -n "${YAUTH:-}" ] && echo "auth $YAUTH"
      echo "open tcp:127.0.0.1:$yport/${YDB:-Default}"
      for cmd in "$@"; do echo "$cmd"; done
      echo quit; } | (cd "$tmp" && yaz-client 2>&1)
}
# hits of each search of a session, one a line
nhits() { printf '%s\n' "$1" | sed -n 's/^Number of hits: \([0-9]*\),.*/\1/p' | tr '\n' ' ' | sed 's/ $//'; }
# sru PORT QUERY [KEY=VALUE...]: a searchRetrieve (POST when SRU_POST=1); with
# QUERY '' and operation=scan, a scan
sru() {
    python3 - "$@" <<'EOF'
import os, sys, urllib.request, urllib.parse
port, query = sys.argv[1], sys.argv[2]
params = {"version": "1.2", "operation": "searchRetrieve"}
if query:
    params["query"] = query
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    params[k] = v
url = "http://127.0.0.1:%s/Default" % port
body = urllib.parse.urlencode(params)
try:
    if os.environ.get("SRU_POST") == "1":
        req = urllib.request.Request(url, data=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        req = url + "?" + body
    sys.stdout.write(urllib.request.urlopen(req, timeout=20).read().decode("utf-8"))
except Exception as e:
    print("HTTP failure: %s" % e)
    sys.exit(1)
EOF
}
srucount() { printf '%s\n' "$1" | sed -n 's/.*<zs:numberOfRecords>\([0-9]*\)<.*/\1/p'; }

# --- the repository ---
c init --institution 1234 >/dev/null; ok $? "init"
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
c import "$tmp/loc.mrc" >/dev/null 2>&1
is "$(c search --count 'title=computer')" 9 "the LoC sample: 9 titles with 'computer'"
c user add bob --role cataloger >/dev/null && echo 'bob-secret-1' | c user passwd bob >/dev/null &&
    c user add ivan --role inventory >/dev/null && echo 'ivan-secret-1' | c user passwd ivan >/dev/null &&
    c user add nopw --role cataloger >/dev/null
ok $? "users bob (cataloger) and ivan (inventory) with network passwords, nopw without"
o=$(echo 'short' | c user passwd bob 2>&1); is $? 1 "a password under 8 characters is refused"
like "$o" "8" "... saying how long it must be"
o=$(c user passwd nosuch </dev/null 2>&1); is $? 1 "no password read, or no such user"

# --- usage and refusals before serving ---
o=$(c serve --listen nonsense 2>&1); is $? 1 "--listen without a port"
like "$o" "tcp:HOST:PORT" "... says the form"
o=$(c serve --zone xx 2>&1); is $? 2 "--zone xx is a usage error"
o=$("$bin" --repo "$tmp/none" serve --listen tcp:127.0.0.1:1 2>&1); is $? 1 "no repository to serve"

# --- a daemon with a pid file ---
port=$(free_port)
o=$(c serve --listen "tcp:127.0.0.1:$port" --daemon --pidfile "$tmp/ro.pid" --log "$tmp/ro.log" 2>&1)
is $? 0 "serve --daemon returns once listening"
like "$o" "serving the IZ of .* \(read-only\) on tcp:127.0.0.1:$port" "... and says what it serves"
ok $([ -s "$tmp/ro.pid" ] && kill -0 "$(cat "$tmp/ro.pid")" && echo 0 || echo 1) "the pid file names a live process"
o=$(c serve --listen "tcp:127.0.0.1:$port" 2>&1); is $? 4 "a second server on the same port: cannot listen"
like "$o" "cannot listen on tcp:127.0.0.1:$port: Address already in use" "... says why"

# --- Z39.50 search with Bib-1 attributes ---
s=$(yc "$port" 'find @attr 1=4 computer' 'find @attr 1=7 0839108826' 'find @attr 1=8 1064-3923' \
    "find @attr 1=12 $(bibid 14)" 'find @attr 1=1003 collins' 'find @attr 1=1016 internet' \
    'find @attr 1=1211 26273275' 'find @attr 1=21 periodicals' 'find @attr 1=4 @attr 4=1 "how to program"' \
    'find @attr 1=4 @attr 5=1 pass' 'find @attr 1=4 pass' 'find @and @attr 1=1016 computer @attr 1=1016 program' \
    'find @or @attr 1=4 bible @attr 1=4 deuteronomy' 'find @attr 1=title computer' 'find @attr 1=7 978-0-8391-0882-5')
like "$s" "Name   : Colophon" "yaz-client connects: the Init names Colophon"
is "$(nhits "$s")" "9 1 1 1 2 2 1 2 2 1 0 2 3 9 1" \
    "hits: title 9, ISBN 1, ISSN 1, local number 1, author 2, any 2, OCLC 1, subject 2, phrase 2, pass* 1, pass 0, AND 2, OR 3 (the psalms are of the Bible series), string Use 9, ISBN-13 1"

# --- present: USMARC and MARCXML ---
s=$(yc "$port" "find @attr 1=12 $(bibid 14)" 'show 1' 'format xml' 'show 1' 'elements marcxml' 'show 1')
like "$s" "Record type: USmarc" "show: USMARC by default"
like "$s" "^001 $(bibid 14)\$" "... the record, 001 its MMS ID"
like "$s" '^245 00 \$a Internet world\.' "... with its 245"
like "$s" "Record type: XML" "format xml: MARCXML"
like "$s" '<record xmlns="http://www.loc.gov/MARC21/slim">' "... in the MARC 21 slim namespace"
like "$s" "<controlfield tag=\"001\">$(bibid 14)</controlfield>" "... the same record"
ok $(printf '%s\n' "$s" | grep -q 'Diagnostic' && echo 1 || echo 0) "element set marcxml is accepted"
s=$(yc "$port" 'find @attr 1=4 computer' 'show 1+9')
is "$(printf '%s\n' "$s" | grep -c '^245 ')" 9 "show 1+9: nine records in one present"
s=$(yc "$port" 'find @attr 1=4 computer' 'format sutrs' 'show 1')
like "$s" "\[239\] Record syntax not supported" "an unsupported syntax (SUTRS): diagnostic 239"
s=$(yc "$port" 'find @attr 1=4 computer' 'elements brief-dc' 'show 1')
like "$s" "\[25\] Specified element set name not valid" "an unknown element set: diagnostic 25"
o=$(YDB=Other yc "$port" 'find @attr 1=4 computer'); like "$o" "\[235\]|\[109\] Database unavailable" "an unknown database: diagnostic"
o=$(YDB=4801 yc "$port" 'find @attr 1=4 computer'); like "$o" "\[235\]|\[109\]" "the IZ server does not serve the NZ's code"
o=$(YDB=IZ yc "$port" 'find @attr 1=4 computer'); is "$(nhits "$o")" 9 "the database IZ is the zone served"

# --- scan: terms in index order with the number of records of each ---
# scanned terms: "term (count)" lines, one a line, the start term marked with '*'
terms() { printf '%s\n' "$1" | sed -n 's/^[* ] \(.* ([0-9]*)\)$/\1/p' | tr '\n' ',' | sed 's/,$//'; }
s=$(yc "$port" 'scansize 3' 'scan @attr 1=4 comp')
like "$s" "Options: .*scan" "the Init announces scan"
like "$s" "3 entries, position=1" "scan 1=4 comp: 3 terms, the start term first"
is "$(terms "$s")" "computer (9),controlled (1),cxxi (1)" "... title words from 'comp' on, each with its records (computer: the 9 a title search finds)"
like "$s" '^\* computer \(9\)$' "... the first term >= the start term is marked"
s=$(yc "$port" 'scanpos 3' 'scansize 5' 'scan @attr 1=4 Computer')
like "$s" "5 entries, position=3" "scanpos 3, scansize 5: the start term third"
is "$(terms "$s")" "college (1),community (1),computer (9),controlled (1),cxxi (1)" "... two terms before it, two after; the start term folded as the index folds words"
s=$(yc "$port" 'scanpos 0' 'scansize 2' 'scan @attr 1=4 computer' 'scanpos 3' 'scan @attr 1=4 computer')
like "$s" "2 entries, position=0" "scanpos 0: the start term is just before the list"
like "$s" "controlled \(1\)" "... the terms after it"
like "$s" "2 entries, position=3" "scanpos beyond the terms: the list ends before the start term"
like "$s" "  community \(1\)" "... the terms before it"
s=$(yc "$port" 'scansize 2' 'scan @attr 1=1003 coll' 'scan @attr 1=21 per' 'scan @attr 1=1016 internet' \
    'scan @attr 1=7 0-8391-0882-6' 'scan @attr 1=8 1064-3923' 'scan @attr 1=1211 (OCoLC)ocm26273275' \
    "scan @attr 1=12 $(bibid 14)" 'scan @attr 1=title comput')
is "$(terms "$s")" "college (2),collins (2),periodicals (2),philosophy (1),internet (2),interpretation (1),9780839108825 (1),9780879832353 (1),10643923 (1),11877081 (1),26273275 (1),$(bibid 14) (1),$(bibid 15) (1),computer (9),controlled (1)" \
    "author, subject, any, ISBN (as 13 digits), ISSN, OCLC, local number (the MMS IDs), a string Use: terms and counts"
s=$(yc "$port" 'scan @attr 1=1016 zzzzz')
like "$s" "0 entries" "scan past the last term: no terms"
like "$s" "Scan returned code 5" "... a partial answer (the index ended)"
s=$(yc "$port" 'scanstep 2' 'scan @attr 1=4 a' 'scanstep 0' 'scan @attr 1=9999 a' 'scan @attrset gils @attr 1=4 a' \
    'scan @attr 4=104 @attr 1=4 a' 'scan @attr 5=2 @attr 1=4 a' 'scansize 1001' 'scan @attr 1=4 a' \
    'scansize 5' 'scanpos 5000' 'scan @attr 1=4 a' 'scanpos 1' 'scan @attr 1=4 computer')
like "$s" "\[205\] Only zero step size supported for Scan -- v2 addinfo '2'" "scanstep 2: diagnostic 205"
like "$s" "\[114\] Unsupported Use attribute -- v2 addinfo '9999'" "an unknown Use attribute: 114"
like "$s" "\[121\] Unsupported Attribute Set" "another attribute set: 121"
like "$s" "\[118\] Unsupported Structure attribute" "an unsupported structure: 118"
like "$s" "\[120\] Unsupported Truncation attribute" "left truncation: 120"
like "$s" "\[1029\] .*addinfo '1000'" "more than 1000 terms: 1029, naming the most"
like "$s" "\[233\] " "a position far outside the list: 233"
like "$s" '^\* computer \(9\)$' "the same session still scans after all that"

# --- bad queries: diagnostics, and the server keeps serving ---
big=$(python3 -c 'print("a" * 900)')
s=$(yc "$port" 'find @attr 1=9999 x' 'show 1' 'find @attr 2=5 @attr 1=4 computer' 'find @attr 4=104 @attr 1=4 x' \
    'find @attr 5=2 @attr 1=4 x' 'find @attrset gils @attr 1=4 x' 'find @attr 1=7 notanisbn' \
    'find @prox 0 1 0 2 k 2 @attr 1=4 a @attr 1=4 b' "find @attr 1=4 $big" \
    'find @attr 1=4 computer' 'show 100' 'find @attr 1=4 computer')
like "$s" "\[114\] Unsupported Use attribute -- v2 addinfo '9999'" "unsupported Use attribute: 114"
like "$s" "\[117\] Unsupported Relation attribute -- v2 addinfo '5'" "unsupported relation: 117"
like "$s" "\[118\] Unsupported Structure attribute -- v2 addinfo '104'" "unsupported structure: 118"
like "$s" "\[120\] Unsupported Truncation attribute" "left truncation: 120"
like "$s" "\[121\] Unsupported Attribute Set" "another attribute set: 121"
like "$s" "\[126\] Illegal term value for attribute -- v2 addinfo ''notanisbn' is not an ISBN" "a bad ISBN: 126, saying why"
like "$s" "\[(110|129|132)\] " "proximity: a diagnostic"
like "$s" "\[30\] Specified result set does not exist" "show after a failed search: result set does not exist"
like "$s" "\[13\] Present request out of range" "present beyond the hits: 13"
is "$(nhits "$s" | awk '{ print $NF }')" 9 "the same session still searches after all that"
o=$(yc "$port" 'find @attr 1=4 computer'); is "$(nhits "$o")" 9 "a new session too"
o=$(c external add self "127.0.0.1:$port/Default" >/dev/null &&
    c external search self "title=$(python3 -c 'print("a" * 100000)')" 2>&1)
is $? 0 "a 100,000-character term from a Z39.50 client: answered"
like "$o" "self: 0 records" "... no hits"
o=$(c external search self 'title=computer' 2>&1); like "$o" "self: 9 records" "our own client finds what yaz-client finds"

# --- SRU searchRetrieve over HTTP ---
o=$(sru "$port" 'dc.title=computer' maximumRecords=1 recordSchema=marcxml); is $? 0 "SRU searchRetrieve"
is "$(srucount "$o")" 9 "dc.title=computer: 9"
like "$o" "<zs:recordSchema>info:srw/schema/1/marcxml-v1.1</zs:recordSchema>" "... MARCXML records"
like "$o" '<datafield tag="245"' "... with their fields"
is "$(srucount "$(sru "$port" 'bath.isbn=0839108826')")" 1 "bath.isbn"
is "$(srucount "$(sru "$port" "rec.id=$(bibid 14)")")" 1 "rec.id (the MMS ID)"
is "$(srucount "$(sru "$port" 'oclc=26273275')")" 1 "oclc (the OCLC index)"
is "$(srucount "$(sru "$port" 'bath.issn=1064-3923')")" 1 "bath.issn"
is "$(srucount "$(sru "$port" 'dc.creator=collins')")" 2 "dc.creator"
is "$(srucount "$(sru "$port" 'dc.title="how to program"')")" 2 "a phrase"
is "$(srucount "$(sru "$port" 'dc.title=pass*')")" 1 "right truncation"
is "$(srucount "$(sru "$port" 'computer and dc.title=program')")" 2 "and, cql.serverChoice"
is "$(srucount "$(sru "$port" 'cql.allRecords=1 not computer')")" \
    $(($(c search --count 'linked!=network OR linked=network') - $(c search --count computer))) "cql.allRecords=1 not computer"
o=$(SRU_POST=1 sru "$port" 'dc.title=computer' maximumRecords=0); is "$(srucount "$o")" 9 "SRU by POST"
o=$(sru "$port" '' operation=scan scanClause=dc.title=comp maximumTerms=2)
like "$o" "<zs:value>computer</zs:value><zs:numberOfRecords>9</zs:numberOfRecords>.*<zs:value>controlled</zs:value>" \
    "SRU scan (scanClause dc.title=comp): terms with their records"
o=$(sru "$port" '' operation=scan scanClause=bath.isbn=0839108826 maximumTerms=2 responsePosition=2)
like "$o" "<zs:value>9780836968439</zs:value>.*<zs:value>9780839108825</zs:value>" "SRU scan of bath.isbn, responsePosition 2"
o=$(sru "$port" '' operation=scan scanClause=foo.bar=x); like "$o" "info:srw/diagnostic/1/16.*foo.bar" "SRU scan of an unknown index: 16"
o=$(sru "$port" 'dc.title=(')
like "$o" "info:srw/diagnostic/1/10" "malformed CQL: diagnostic 10 (query syntax error)"
o=$(sru "$port" 'foo.bar=x'); like "$o" "info:srw/diagnostic/1/16.*foo.bar" "an unknown index: 16, naming it"
o=$(sru "$port" 'dc.title > x'); like "$o" "info:srw/diagnostic/1/19" "an unsupported relation: 19"
o=$(sru "$port" 'dc.title=computer' recordSchema=dc maximumRecords=1); like "$o" "info:srw/diagnostic/1/66|info:srw/diagnostic/1/67" "an unknown record schema"
o=$(sru "$port" 'dc.title=computer' startRecord=50 maximumRecords=1); like "$o" "info:srw/diagnostic/1/61" "startRecord beyond the hits: 61"
o=$(SRU_POST=1 sru "$port" "dc.title=$(python3 -c 'print("a" * 100000)')" maximumRecords=0)
like "$o" "<zs:numberOfRecords>0<|info:srw/diagnostic" "a 100,000-character term by POST: an answer"
is "$(srucount "$(sru "$port" 'dc.title=computer')")" 9 "the server still answers"
ok $(kill -0 "$(cat "$tmp/ro.pid")" && echo 0 || echo 1) "the server is alive after every bad query"
ok $(grep -q 'AddressSanitizer\|runtime error' "$tmp/ro.log" && echo 1 || echo 0) "its log holds no sanitizer report"

# --- read-only by default ---
cat >"$tmp/new.xml" <<'EOF'
<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader><controlfield tag="008">240101s2024    xx            000 0 eng d</controlfield><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Contributed over Z39.50 zyzzyva</subfield></datafield></record>
EOF
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' 'update insert 0 <new.xml')
like "$o" "read-only \(colophon serve --allow-update accepts updates\)" "ES update refused by a read-only server, saying why"
is "$(c search --count zyzzyva)" 0 "... nothing written"

# --- stop the daemon ---
kill "$(cat "$tmp/ro.pid")"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -f "$tmp/ro.pid" ] || break; sleep 0.2; done
ok $([ -f "$tmp/ro.pid" ] && echo 1 || echo 0) "SIGTERM stops it and removes the pid file"
o=$(yc "$port" 'find @attr 1=4 computer'); unlike=$(printf '%s\n' "$o" | grep -c 'Number of hits')
is "$unlike" 0 "nothing listens any more"

# --- --allow-update: Extended Services record update ---
port=$(free_port)
c serve --listen "tcp:127.0.0.1:$port" --daemon --pidfile "$tmp/rw.pid" --log "$tmp/rw.log" --allow-update >/dev/null 2>&1
ok $? "serve --allow-update"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' 'update insert 0 <new.xml')
like "$o" "Status: done" "recordInsert by bob: done"
M=$(printf '%s\n' "$o" | sed -n 's/^Target Reference: //p')
like "$M" '^99[0-9]+1234$' "... the target reference is the new MMS ID ($M)"
o=$(c search zyzzyva); like "$o" "^$M .*Contributed over Z39.50 zyzzyva" "colophon search finds it"
o=$(c versions "$M"); like "$o" "1 .* bob .*create" "version 1, by bob, reason create"
sed 's/Contributed over Z39.50 zyzzyva/Replaced over Z39.50 zyzzyva/' "$tmp/new.xml" >"$tmp/repl.xml"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' "update replace $M <repl.xml")
like "$o" "Status: done" "recordReplace by bob: done"
o=$(c show "$M"); like "$o" '^245 00 \$\$a Replaced over Z39.50 zyzzyva' "the record is replaced"
o=$(c versions "$M"); like "$o" "2 .* bob .*edit" "version 2, by bob"
sed "s|<controlfield tag=\"008\">|<controlfield tag=\"001\">$M</controlfield><controlfield tag=\"008\">|; s/Contributed over Z39.50 zyzzyva/Special update zyzzyva/" \
    "$tmp/new.xml" >"$tmp/special.xml"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' 'update update 0 <special.xml')
like "$o" "Status: done" "specialUpdate of a record whose 001 is ours: done"
like "$o" "Target Reference: $M" "... on that record"
o=$(c show "$M"); like "$o" '^245 00 \$\$a Special update zyzzyva' "... replaced"
is "$(c versions "$M" | grep -c ' bob ')" 3 "three versions by bob"
sed 's/Contributed over Z39.50 zyzzyva/Another contribution zyzzyva/' "$tmp/new.xml" >"$tmp/another.xml"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' 'update update 0 <another.xml')
like "$o" "Status: done" "specialUpdate of a new record: inserted"
is "$(c search --count zyzzyva)" 2 "two records now"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' "update insert $M <new.xml")
like "$o" "recordInsert: record $M exists" "recordInsert of an existing MMS ID is refused"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' "update replace $(bibid 999) <new.xml")
like "$o" "recordReplace: no record $(bibid 999)" "recordReplace of a missing record is refused"
printf '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader><datafield tag="500" ind1=" " ind2=" "><subfield code="a">no title</subfield></datafield></record>\n' >"$tmp/bad.xml"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' 'update insert 0 <bad.xml')
like "$o" "245" "a record without 245 is refused by validation, naming it"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' 'update insert 0 "<record>not marc"')
like "$o" "malformed|cannot be read" "a record that is not MARC is refused"
o=$(YAUTH='bob bob-secret-1' yc "$port" 'format xml' "update delete $M <new.xml")
like "$o" "cataloger-extended" "recordDelete needs cataloger-extended"
is "$(c search --count zyzzyva)" 2 "... nothing deleted"

# --- refused logins and roles ---
o=$(YAUTH='nobody whatever1' yc "$port" 'find @attr 1=4 computer')
like "$o" "Connection rejected|\[1014\]|\[1011\]" "an unknown user: the Init is rejected"
ok $(printf '%s\n' "$o" | grep -q 'Number of hits: 9' && echo 1 || echo 0) "... and cannot search"
o=$(YAUTH='bob wrong-password' yc "$port" 'format xml' 'update insert 0 <another.xml')
like "$o" "Connection rejected|\[1014\]|\[1011\]" "a wrong password: the Init is rejected"
o=$(YAUTH='nopw anything1' yc "$port" 'find @attr 1=4 computer')
like "$o" "Connection rejected|\[1014\]|\[1011\]" "a user without a network password cannot log in"
grep -q "login refused for nobody" "$tmp/rw.log"; ok $? "the server's log says whose login was refused"
o=$(YAUTH='ivan ivan-secret-1' yc "$port" 'format xml' 'update insert 0 <another.xml')
like "$o" "\[223\]|Permission denied.*cataloger" "a user without role cataloger (ivan, inventory): refused"
o=$(yc "$port" 'format xml' 'update insert 0 <another.xml')
like "$o" "updates need a user and password" "an anonymous update: refused"
is "$(c search --count zyzzyva)" 2 "nothing written by the refused updates"
o=$(yc "$port" 'find @attr 1=1016 zyzzyva'); is "$(nhits "$o")" 2 "anonymous searching still works"
kill "$(cat "$tmp/rw.pid")"

# --- the foreground: Ctrl-C / SIGTERM ends it, exit 0 ---
port=$(free_port)
c serve --listen "tcp:127.0.0.1:$port" --pidfile "$tmp/fg.pid" 2>"$tmp/fg.err" &
fgpid=$!
wait_port "$port" 10; ok $? "serve in the foreground listens"
like "$(cat "$tmp/fg.err")" "serving the IZ" "... and says so on stderr"
o=$(yc "$port" 'find @attr 1=4 computer'); is "$(nhits "$o")" 9 "... and answers"
kill -TERM "$(cat "$tmp/fg.pid")"
wait "$fgpid"; is $? 0 "SIGTERM: exit 0"
fgpid=""
ok $([ -f "$tmp/fg.pid" ] && echo 1 || echo 0) "... the pid file removed"

done_testing
