#!/bin/sh
# test_remote_nz.sh - a network zone on another host (core/nzremote.h): one
# NZ repository served by `colophon serve --zone nz --allow-update` on a free
# 127.0.0.1 port (started and stopped here), two institution repositories
# (1111 and 2222) made with `colophon init --nz z3950://127.0.0.1:PORT/NZ`.
# 1111 contributes a record; 2222 imports a copy of the same book (same OCLC
# number) and links to the contributed record by OCLC number; both show the
# shared content with their own local fields; an edit of the shared fields
# (from 1111 through Extended Services, and one made on the NZ's own host)
# reaches both after `link --refresh`; --to, unlink, the link-to-nz job,
# wrong credentials, the same server over SRU (search and link; contributing
# needs Z39.50); with the server down every NZ operation says "network
# zone at ... unreachable" while local work goes on.
# Usage: test_remote_nz.sh COLOPHON_BINARY
set -u
bin=$1
here=$(dirname "$0")
. "$here/tap.sh"
. "$here/zebra.sh" # free_port, wait_port
tmp=$(mktemp -d)
stop_server() { [ -f "$tmp/nz.pid" ] && kill "$(cat "$tmp/nz.pid")" 2>/dev/null; sleep 0.2; }
trap 'stop_server; rm -rf "$tmp"' EXIT
nzr=$tmp/nzrepo
iz1=$tmp/iz1
iz2=$tmp/iz2
n() { "$bin" --repo "$nzr" "$@"; }
a() { "$bin" --repo "$iz1" "$@"; }
b() { "$bin" --repo "$iz2" "$@"; }
NZ1=991000000014801 # the NZ's first MMS IDs
NZ2=991000000024801
NZ3=991000000034801
start_server() {
    n serve --zone nz --allow-update --listen "tcp:127.0.0.1:$port" --daemon \
        --pidfile "$tmp/nz.pid" --log "$tmp/nz.log" >/dev/null 2>&1 && wait_port "$port"
}

# A book as an institution catalogues it: OCLC number, its own 9XX.
book() { # FILE TITLE OCLC LOCAL [EXTRA-LINE]  (.mrk: a backslash is a blank)
    {
        printf '%s\n' '=LDR  00000nam a2200000 a 4500'
        printf '%s\n' '=008  200101s2020\\\\nyua\\\\\\\\\\000\0\eng\d'
        printf '%s%s\n' '=035  \\$a(OCoLC)' "$3"
        printf '%s\n' '=100  1\$aTolstoy, Leo,$d1828-1910.'
        printf '%s%s%s\n' '=245  10$a' "$2" ' /$cLeo Tolstoy.'
        printf '%s\n' '=260  \\$aNew York :$bNorton,$c2020.'
        printf '%s\n' '=300  \\$a1200 p.'
        printf '%s%s\n' '=999  \\$a' "$4"
        if [ -n "${5:-}" ]; then printf '%s\n' "$5"; fi
    } >"$1"
}
first() { sed -n '1s/ .*//p'; }

# --- usage and refusals of init ---
o=$($bin init --help); ok $? "init --help exits 0"
like "$o" "--nz z3950://HOST:PORT/DB" "init --help shows the remote network zone"
$bin --repo "$tmp/x" init --institution 1111 --nz-option user=a >/dev/null 2>&1
is $? 2 "--nz-option without a remote --nz is a usage error"
$bin --repo "$tmp/x" init --institution 1111 --nz z3950://127.0.0.1:1/NZ --nz-option user >/dev/null 2>&1
is $? 2 "--nz-option without = is a usage error"
o=$($bin --repo "$tmp/x" init --institution 1111 --nz z3950://127.0.0.1:1/NZ --nz-option sytax=x 2>&1)
is $? 1 "an unknown option of the network zone is refused"
like "$o" "sytax" "... naming it"
o=$($bin --repo "$tmp/y" init --institution 1111 --nz z3950://127.0.0.1:1/NZ --nz-code 12 2>&1)
is $? 1 "a network zone code that is not four digits is refused"

# --- the network zone's repository and its server ---
n init --institution 9000 >/dev/null; ok $? "the NZ repository"
for i in 1111 2222; do
    n user add "inst$i" --role cataloger >/dev/null &&
        echo "password$i" | n user passwd "inst$i" >/dev/null
    ok $? "institution $i is a cataloger of the network zone, with a network password"
done
port=$(free_port)
start_server; ok $? "colophon serve --zone nz --allow-update on 127.0.0.1:$port"

# --- two institutions, each with the served NZ ---
o=$(a init --institution 1111 --nz "z3950://127.0.0.1:$port/NZ" --nz-option user=inst1111 \
    --nz-option password=password1111)
ok $? "init 1111 with --nz z3950://127.0.0.1:$port/NZ"
like "$o" "network zone: the server at z3950://127.0.0.1:$port/NZ" "... says where its NZ is"
test -f "$iz1/nz-cache.db" && test ! -f "$iz1/nz.db"; ok $? "... a copy nz-cache.db, no nz.db"
b init --institution 2222 --nz "127.0.0.1:$port/NZ" --nz-option user=inst2222 \
    --nz-option password=password2222 >/dev/null
ok $? "init 2222 with --nz HOST:PORT/DB"
is "$(a config get nz.target)" "127.0.0.1:$port/NZ user=inst1111 password=password1111" \
    "the server and credentials are the configuration nz.target"

# --- 1111 contributes ---
book "$tmp/a.mrk" "War and peace" 44556677 "LOCAL 1111"
a import "$tmp/a.mrk" >/dev/null; ok $? "1111 imports a book"
A=$(a search 'oclc=44556677' | first)
o=$(a link "$A" --candidates); ok $? "link --candidates asks the server"
like "$o" "no network zone record matches" "... which has nothing yet"
grep -q 'Search NZ OK' "$tmp/nz.log"; ok $? "... the server's log shows the search"
o=$(a link "$A" </dev/null 2>&1); is $? 1 "link without a match and a terminal links nothing"
o=$(a link "$A" --contribute); ok $? "link --contribute sends the record by Extended Services"
like "$o" "as network zone record $NZ1 and linked it" "... the server's MMS ID comes back"
o=$(n show "$NZ1" --format mrk); ok $? "the NZ repository has the contributed record"
like "$o" "=245  10\\\$aWar and peace" "... its title"
case $o in *"LOCAL 1111"*) ok 1 "... without 1111's local field" ;; *) ok 0 "... without 1111's local field" ;; esac
like "$(n versions "$NZ1")" "inst1111 +contribute" "... contributed by inst1111"
o=$(a show "$A" --format mrk)
like "$o" "=001  $NZ1" "1111's record shows the NZ MMS ID in 001"
like "$o" "=999  ..\\\$aLOCAL 1111" "... and keeps its local field"

# --- 2222 links its copy by OCLC number ---
book "$tmp/b.mrk" "War and peace" ocm44556677 "LOCAL 2222"
b import "$tmp/b.mrk" >/dev/null; ok $? "2222 imports its copy (OCLC number with prefix)"
B=$(b search 'oclc=44556677' | first)
o=$(b link "$B" --candidates); ok $? "2222 link --candidates"
like "$o" "$NZ1 .*War and peace" "... finds the contributed record on the server"
like "$o" "by OCLC number 44556677" "... by OCLC number"
o=$(b link "$B" --yes); ok $? "2222 links to it (--yes)"
like "$o" "Linked $B to network zone record $NZ1" "... to $NZ1"
o=$(b show "$B" --format mrk)
like "$o" "=001  $NZ1" "2222's record shows the NZ record"
like "$o" "LOCAL 2222" "... with 2222's local field"
case $o in *"LOCAL 1111"*) ok 1 "... not 1111's" ;; *) ok 0 "... not 1111's" ;; esac
like "$(b search linked=network)" "$B .*linked $NZ1" "2222 finds it linked (linked=network)"
o=$(b search --zone nz 'title="war and peace"'); ok $? "search --zone nz through the server"
like "$o" "$NZ1 +NZ" "... finds the shared record"

# a record whose cancelled number (019) is the NZ record's OCLC number
book "$tmp/c.mrk" "War and peace" 11110000 "LOCAL C" '=019  \\$a44556677'
b import "$tmp/c.mrk" >/dev/null
C=$(b search 'oclc=11110000' | first)
o=$(b link "$C" --candidates)
like "$o" "$NZ1 .*" "a cancelled OCLC number (019) finds the network record on the server"
like "$o" "cancelled" "... saying it was a cancelled number"
like "$o" "already linked to $B" "... already linked from $B"

# --- an edit of the shared content, from 1111, through Extended Services ---
# a changed 260 $c and a new subject heading (before the local 999)
a show "$A" --format mrk | sed 's/\$c2020\./$c2021./' |
    awk '/^=999/ { print "=650  \\0$aNapoleonic Wars, 1800-1815$vFiction." } 1' >"$tmp/a2.mrk"
o=$(a edit "$A" --file "$tmp/a2.mrk" 2>&1); ok $? "1111 saves a change of shared fields"
like "$(n show "$NZ1" --format mrk)" "Norton,\\\$c2021" "... the NZ's server has it"
like "$(b show "$B" --format mrk)" "Norton,\\\$c2021" "2222 shows it (show fetches the network record)"
is "$(b search 'subject=napoleonic')" "" "2222's index has the old content until a refresh"
o=$(b link --refresh); ok $? "2222 link --refresh"
like "$o" "1 linked record" "... re-synchronises its linked record"
like "$(b search 'subject=napoleonic')" "$B +IZ" "... and its index has the new content"
like "$(b versions "$B")" "network zone +refresh" "... as a version by the network zone"

# --- an edit made on the network zone's own host ---
n show "$NZ1" --format mrk | sed 's/1200 p\./1210 p./' >"$tmp/n.mrk"
n edit "$NZ1" --file "$tmp/n.mrk" >/dev/null 2>&1; ok $? "the NZ's host edits the record"
a link --refresh >/dev/null && b link --refresh >/dev/null; ok $? "both institutions refresh"
like "$(a show "$A" --format mrk)" "1210 p\\." "1111 sees the edit, with its local field" 
like "$(a show "$A" --format mrk)" "LOCAL 1111" "... kept"
like "$(b show "$B" --format mrk)" "1210 p\\." "2222 sees it too"

# --- a network record is changed on its server only ---
o=$(b edit "$NZ1" --file "$tmp/n.mrk" 2>&1); is $? 1 "editing the NZ record in 2222's copy is refused"
like "$o" "network zone is the server at 127.0.0.1:$port/NZ" "... saying where it is changed"

# --- link --to, unlink ---
book "$tmp/d.mrk" "Anna Karenina" 55667788 "LOCAL 1111 D"
a import "$tmp/d.mrk" >/dev/null
D=$(a search 'oclc=55667788' | first)
a link "$D" --contribute >/dev/null; ok $? "1111 contributes a second record ($NZ2)"
book "$tmp/e.mrk" "Anna Karenina (a brief record)" 99990000 "LOCAL 2222 E"
b import "$tmp/e.mrk" >/dev/null
E=$(b search 'oclc=99990000' | first)
o=$(b link "$E" --to "$NZ2"); ok $? "2222 link --to $NZ2 (fetched from the server)"
like "$(b show "$E" --format mrk)" "=245  10\\\$aAnna Karenina /" "... shows the network title"
o=$(b link "$E" --to 991234567894801 2>&1); is $? 1 "link --to an ID the server does not have"
o=$(b unlink "$E"); ok $? "2222 unlinks it"
o=$(b show "$E" --format mrk)
like "$o" "=001  $E" "... its own MMS ID is back"
like "$o" "Anna Karenina /" "... with the network content as a full local record"

# --- the link-to-nz job against the server ---
book "$tmp/f.mrk" "Resurrection" 55667788 "LOCAL 2222 F"
book "$tmp/g.mrk" "Hadji Murat" 77889900 "LOCAL 2222 G"
b import "$tmp/f.mrk" >/dev/null && b import "$tmp/g.mrk" >/dev/null
b set create todo --query 'title=resurrection OR title=hadji' >/dev/null; ok $? "a set of two unlinked records"
o=$(b job run link-to-nz --set todo contribute_unmatched=yes 2>&1); ok $? "job run link-to-nz"
job=$(b job list | sed -n '2s/^ *\([0-9]*\).*/\1/p')
o=$(b job show "$job" --records)
like "$o" "linked.*$NZ2" "... links the one the server has by OCLC number"
like "$o" "contributed.*$NZ3" "... contributes the other"
like "$(n show "$NZ3" --format mrk)" "Hadji Murat" "... which the NZ's server now has"

# --- wrong credentials ---
"$bin" --repo "$tmp/iz3" init --institution 3333 --nz "127.0.0.1:$port/NZ" \
    --nz-option user=inst1111 --nz-option password=wrongpassword >/dev/null
book "$tmp/h.mrk" "Childhood" 12121212 "LOCAL 3333"
"$bin" --repo "$tmp/iz3" import "$tmp/h.mrk" >/dev/null
H=$("$bin" --repo "$tmp/iz3" search 'oclc=12121212' | first)
o=$("$bin" --repo "$tmp/iz3" link "$H" --contribute 2>&1); is $? 1 "a wrong password: contributing is refused"
like "$o" "network zone at 127.0.0.1:$port/NZ: .*(password|Init)" "... saying why"
like "$("$bin" --repo "$tmp/iz3" show "$H" --format mrk)" "=001  $H" "... and nothing was linked"

# --- the same server over SRU: search and link, not contribute ---
"$bin" --repo "$tmp/iz4" init --institution 4444 --nz "http://127.0.0.1:$port/NZ" >/dev/null
ok $? "init with an SRU URL as the network zone"
like "$("$bin" --repo "$tmp/iz4" search --zone nz 'title=hadji')" "$NZ3 +NZ" "search --zone nz over SRU"
"$bin" --repo "$tmp/iz4" import "$tmp/h.mrk" >/dev/null
o=$("$bin" --repo "$tmp/iz4" link 991000000014444 --contribute 2>&1); is $? 1 "contributing over SRU is refused"
like "$o" "record updates need Z39.50" "... saying updates need Z39.50"

# --- the server down ---
stop_server
o=$(b search --zone nz war 2>&1); is $? 4 "NZ down: search --zone nz exits 4"
like "$o" "network zone at 127.0.0.1:$port/NZ unreachable" "... network zone at HOST:PORT unreachable"
o=$(b link "$C" --candidates 2>&1); is $? 4 "NZ down: link --candidates exits 4"
like "$o" "unreachable" "... unreachable"
o=$(b link --refresh 2>&1); is $? 4 "NZ down: link --refresh exits 4"
o=$(a link "$D" --to "$NZ2" 2>&1); is $? 4 "NZ down: link --to exits 4"
o=$(b show "$B" --format mrk 2>"$tmp/err"); ok $? "NZ down: show of a linked record still works"
like "$o" "1210 p\\." "... with the network content as last fetched"
like "$(cat "$tmp/err")" "warning: network zone at .* unreachable" "... and a warning"
b show "$B" --format mrk 2>/dev/null | sed "s/LOCAL 2222/LOCAL 2222 offline/" >"$tmp/b2.mrk"
b edit "$B" --file "$tmp/b2.mrk" >/dev/null 2>&1; ok $? "NZ down: a local field of a linked record is saved"
like "$(b show "$B" --format mrk 2>/dev/null)" "LOCAL 2222 offline" "... and shown"
sed 's/1210 p\./1300 p./' "$tmp/b2.mrk" >"$tmp/b3.mrk"
o=$(b edit "$B" --file "$tmp/b3.mrk" 2>&1); is $? 4 "NZ down: a change of a shared field is not saved"
like "$o" "unreachable" "... saying the network zone is unreachable"
book "$tmp/i.mrk" "Boyhood" 34343434 "LOCAL 2222 I"
b import "$tmp/i.mrk" >/dev/null; ok $? "NZ down: importing local records goes on"
like "$(b search 'title=boyhood')" "IZ" "... and searching the IZ"

# --- the server back ---
start_server; ok $? "the server again"
o=$(b link --refresh); ok $? "link --refresh works again"
done_testing
