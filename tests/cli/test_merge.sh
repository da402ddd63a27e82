#!/bin/sh
# test_merge.sh - copy cataloging end to end through the real binary, on the
# LoC sample records: `colophon merge` (Copy & Merge of a monograph and of a
# serial, Copy & Overlay, Import with its duplicate warning; previews in
# lines and side by side, --dry-run, no terminal, --yes, questions on a
# terminal; sources: files, --record, stored records), the refusals (role,
# lock, changed record, bad source), and `colophon import --match oclc`
# (the gateway import: overlaid, created by system, multi-match, locked,
# protected, refused; exit codes; a second run).
# Usage: test_merge.sh COLOPHON_BINARY
set -u
bin=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
spid=""
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT
unset COLUMNS
loc=/usr/share/doc/idzebra-2.0/examples
repo=$tmp/repo
c() { "$bin" --repo "$repo" "$@"; }
as() { u=$1; shift; "$bin" --repo "$repo" --user "$u" "$@"; }
# MMS IDs are handed out in order: the n-th bib of the IZ.
bibid() { printf '99%09d1234' $((100000000 + $1)); }
info() { c show --info "$1" | sed -n "s/^$2: *//p"; }
have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
db() { sqlite3 -cmd '.timeout 5000' "$repo/iz.db" "$@"; }
nbibs() { c search --count 'linked!=network'; }

# An "external" copy of stored record $1 as OCLC sends it: 001 ocm + OCLC
# number $2 with 003 OCoLC, no 005, 035 or 9XX of ours, 245 $a "$3", a 650
# of its own and an OCLC 938 that must not come in.
external() {
    c show --format mrk "$1" | sed -e '/^=00[135]  /d' -e '/^=035  /d' -e '/^=9..  /d' \
        -e "s|^=245  \(..\)\\\$a[^\$]*|=245  \1\$a$3|" -e '/^$/d' |
        awk -v id="$(printf 'ocm%08d' "$2")" '{ print } /^=LDR/ { print "=001  " id; print "=003  OCoLC" }'
    printf '=650  \\0$aCopy cataloging.\n=938  \\\\$aOCLC vendor data\n\n'
}
# Add fields (mrk lines on stdin) to stored record $1 as user $2.
give() {
    c show --format mrk "$1" | sed '/^$/d' >"$tmp/give.mrk"
    cat >>"$tmp/give.mrk"
    as "$2" edit --file "$tmp/give.mrk" "$1" >/dev/null 2>&1
}

# --- usage ---
o=$($bin merge --help); ok $? "merge --help exits 0"
like "$o" "Usage: colophon merge MMSID --from SOURCE" "merge --help shows the usage"
$bin merge 991000000011234 >/dev/null 2>&1; is $? 2 "no --from is a usage error"
$bin merge --from x.mrc >/dev/null 2>&1; is $? 2 "Copy & Merge without MMSID is a usage error"
$bin merge 1 --from x --overlay --import >/dev/null 2>&1; is $? 2 "--overlay with --import"
$bin merge 1 --from x --overlay --rule R >/dev/null 2>&1; is $? 2 "--rule goes with Copy & Merge"
$bin merge 1 --from x --yes --dry-run >/dev/null 2>&1; is $? 2 "--yes with --dry-run"
$bin merge 1 --from x --record 0 >/dev/null 2>&1; is $? 2 "--record 0"
$bin merge 1 --from x --zone nz >/dev/null 2>&1; is $? 2 "--zone goes with --import alone"

# --- a repository: the LoC sample, users ---
c init --institution 1234 >/dev/null; ok $? "init"
c user add bob --role cataloger >/dev/null && c user add alice --role cataloger >/dev/null &&
    c user add carol --role cataloger-extended >/dev/null && c user add ivan --role inventory >/dev/null
ok $? "users bob, alice (cataloger), carol (cataloger-extended), ivan (inventory)"
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
c import "$tmp/loc.mrc" >/dev/null 2>&1; ok $? "import the LoC sample"

M=$(bibid 7) # 77004773, a monograph
printf '=035  \\\\$a(OCoLC)2911146\n=949  \\\\$aLocal call note\n=998  \\\\$aOCLC record received\n' |
    give "$M" alice
is "$(info "$M" Version)" "2 (edit)" "the local record has an OCLC number, a 949 and a 998"
external "$M" 2911146 "Computer science and technology :" >"$tmp/ext.mrk"

# --- Copy & Merge: the preview ---
o=$(as carol merge "$M" --from "$tmp/ext.mrk" --dry-run 2>"$tmp/err"); is $? 0 "--dry-run exits 0"
like "$o" "^Copy & Merge from .*ext.mrk onto $M \"Computer science & technology" "the header names both records"
like "$o" "merge rule: Colophon default merge" "the default merge rule"
like "$o" "998 removed: a monograph" "the monograph's 998 goes"
like "$o" "^= 001    $M\$" "001 survives"
like "$o" '^= 949 ## \$\$a Local call note   \(local\)$' "the local 949 survives, marked local"
like "$o" '^- 998 ## \$\$a OCLC record received' "998 goes"
like "$o" '^\+ 650 #0 \$\$a Copy cataloging\.$' "the external 650 comes"
like "$o" '^~ 245 10 \$\$a Computer science & technology' "245 changes: the local field"
like "$o" '^    -> 245 10 \$\$a Computer science and technology :' "... then what it becomes"
like "$o" '= 035 ## \$\$a \(OCoLC\)2911146|\+ 035 ## \$\$a \(OCoLC\)2911146' "the OCLC 035 is there"
ok $(printf '%s\n' "$o" | grep -q 'ocm02911146' && echo 1 || echo 0) "one 035 for the OCLC number (not ocm02911146 beside it)"
ok $(printf '%s\n' "$o" | grep -q '938' && echo 1 || echo 0) "OCLC's 938 stays out"
like "$o" "come, .* go, .* change, .* survive \(1 local\)" "the counts"
like "$(cat "$tmp/err")" "Dry run: nothing was changed" "the dry run says so"
is "$(info "$M" Version)" "2 (edit)" "nothing written by the dry run"
o=$(as carol merge "$M" --from "$tmp/ext.mrk" </dev/null 2>&1); is $? 0 "no terminal, no --yes: preview"
like "$o" "Preview only: nothing was changed \(standard input is not a terminal" "... and says how to apply"
is "$(info "$M" Version)" "2 (edit)" "nothing written without --yes"
o=$(COLUMNS=150 as carol merge "$M" --from "$tmp/ext.mrk" --dry-run --side-by-side 2>/dev/null)
like "$o" "^$M \(version 2\) +\| after Copy & Merge" "side by side: the two columns"
like "$o" '^949 ## \$\$a Local call note += 949 ## \$\$a Local call note' "side by side: a field that survives"
like "$o" '^ +\+ 650 #0 \$\$a Copy cataloging\.' "side by side: a field that comes"
w=$(printf '%s\n' "$o" | awk '/\| after Copy/ { on = 1 } on && length($0) > m { m = length($0) } END { print m }')
ok $([ "$w" -le 150 ] && echo 0 || echo 1) "side by side fits the width ($w <= 150)"

# --- refusals ---
o=$(as bob merge "$M" --from "$tmp/ext.mrk" --yes 2>&1); is $? 1 "a cataloger cannot Copy & Merge"
like "$o" "needs role cataloger-extended" "the role is named"
o=$(as bob merge "$M" --from "$tmp/ext.mrk" --overlay --yes 2>&1); is $? 1 "nor Copy & Overlay"
o=$(as carol merge "$M" --from "$tmp/nothing.mrc" --yes 2>&1); is $? 1 "a missing source"
like "$o" "'.*nothing.mrc' is not a file \(No such file or directory\), a target .* nor an MMS ID" "... is named"
o=$(as carol merge "$(bibid 99)" --from "$tmp/ext.mrk" --yes 2>&1); is $? 1 "no such local record"
if [ $have_sqlite = 1 ]; then
    db "INSERT INTO lock (mms, user, since, seen, version) VALUES ('$M', 'alice', strftime('%s','now'), strftime('%s','now'), 2)"
    o=$(as carol merge "$M" --from "$tmp/ext.mrk" --yes 2>&1); is $? 3 "a record locked by someone else: exit 3"
    like "$o" "$M is locked by alice" "the lock holder is named"
    like "$o" '^\+ 650' "the preview is still shown"
    is "$(info "$M" Version)" "2 (edit)" "nothing written while locked"
    db "DELETE FROM lock"
else
    ok 0 "# skip sqlite3 not installed: lock refusal"
fi

# --- Copy & Merge applied ---
o=$(as carol merge "$M" --from "$tmp/ext.mrk" --yes 2>&1); is $? 0 "--yes applies"
like "$o" "Copy & Merge: $M is now version 3 \(reason merge\); 'colophon revert $M 2' undoes it" "what happened"
is "$(info "$M" Version)" "3 (merge)" "version 3, reason merge"
like "$(info "$M" Updated)" "by carol" "updated by carol"
r=$(c show --format mrk "$M")
like "$r" '=949  \\\\\$aLocal call note' "949 kept"
ok $(printf '%s\n' "$r" | grep -q '^=998' && echo 1 || echo 0) "998 gone"
like "$r" '=650  \\0\$aCopy cataloging\.' "650 came"
like "$r" "=001  $M" "001 is the MMS ID"
is "$(c search --count oclc=2911146)" 1 "found by its OCLC number"
o=$(c revert "$M" 2); ok $? "revert undoes the merge"
like "$(c show --format mrk "$M")" '=998  ' "the 998 is back"

# --- a serial: the normalization rule adds the 998 no-overlay field ---
S=$(bibid 14) # ACD-3837, OCLC 26273275, leader nas
external "$S" 26273275 "Serial title from OCLC" >"$tmp/serial.mrk"
o=$(as carol merge "$S" --from "$tmp/serial.mrk" --yes 2>&1); is $? 0 "Copy & Merge of a serial"
like "$o" "normalization: Colophon serial no-overlay \(1 change\)" "the rule made one change"
like "$o" '\+ 998 ## \$\$a no-overlay   \(local\)' "the preview shows the 998 that comes"
like "$(c show --format mrk "$S")" '=998  \\\\\$ano-overlay' "the serial has its 998 no-overlay"

# --- Copy & Overlay ---
V=$(bibid 12) # 72002565
printf '=949  \\\\$aOverlay keeps me\n' | give "$V" alice
external "$V" 2565 "Overlaid title" >"$tmp/over.mrk"
o=$(as carol merge "$V" --from "$tmp/over.mrk" --overlay --yes 2>&1); is $? 0 "Copy & Overlay"
like "$o" "^Copy & Overlay from" "named in the header"
r=$(c show --format mrk "$V")
like "$r" '=949  \\\\\$aOverlay keeps me' "the local field stays"
ok $(printf '%s\n' "$r" | grep -q '(DLC)72002565' && echo 1 || echo 0) "the local 035 is replaced"
like "$r" '=245  ..\$aOverlaid title' "the external content"
is "$(info "$V" Version)" "3 (overlay)" "reason overlay"

# --- Import, with the duplicate warning ---
T=$(bibid 15) # ACD-3799, OCLC 26244844
external "$T" 26244844 "Imported serial" >"$tmp/imp.mrk"
n0=$(nbibs)
o=$(as ivan merge --import --from "$tmp/imp.mrk" --yes 2>&1); is $? 1 "inventory cannot import"
o=$(as bob merge --import --from "$tmp/imp.mrk" </dev/null 2>&1); is $? 0 "Import preview"
like "$o" "Warning: 1 record\(s\) of the IZ have the same OCLC number" "the warning"
like "$o" "  $T  \".*\"  \(OCLC number 26244844\)" "... names the record"
like "$o" '^\+ 245 .*Imported serial' "the new record's fields"
is "$(nbibs)" "$n0" "nothing imported without --yes"
o=$(as bob merge --import --from "$tmp/imp.mrk" --yes 2>&1); is $? 0 "--yes imports anyway"
new=$(printf '%s\n' "$o" | sed -n 's/^Imported as \(99[0-9]*\)\.$/\1/p')
ok $([ -n "$new" ] && echo 0 || echo 1) "the new MMS ID is printed ($new)"
is "$(nbibs)" $((n0 + 1)) "one record more"
like "$(info "$new" Created)" "by bob" "created by bob"
is "$(c search --count oclc=26244844)" 2 "two records with the number now"

# --- sources: several records, --record, a stored record ---
cat "$tmp/ext.mrk" "$tmp/over.mrk" >"$tmp/two.mrk"
o=$(as carol merge "$M" --from "$tmp/two.mrk" --dry-run 2>&1); is $? 1 "two records need --record"
like "$o" "holds 2 records; choose one with --record N" "... says so"
o=$(as carol merge "$M" --from "$tmp/two.mrk" --record 3 --dry-run 2>&1); is $? 1 "no record 3"
o=$(as carol merge "$M" --from "$tmp/two.mrk" --record 2 --dry-run 2>&1); is $? 0 "--record 2"
like "$o" "from .*two.mrk record 2 onto" "record 2 is used"
like "$o" "Overlaid title" "... its content"
o=$(as carol merge "$M" --from "$(bibid 6)" --dry-run 2>&1); is $? 0 "a stored record as source"
like "$o" "from $(bibid 6) \(IZ\) onto $M" "named with its zone"

# --- a Z39.50 target: record N of the last search (another repository served) ---
port=$((20000 + $$ % 20000))
"$bin" --user zz init --institution 5555 "$tmp/src" >/dev/null &&
    "$bin" --repo "$tmp/src" --user zz import -q "$tmp/loc.mrc" 2>/dev/null
if "$bin" --repo "$tmp/src" --user zz serve --listen "tcp:127.0.0.1:$port" --daemon \
    --pidfile "$tmp/serve.pid" >/dev/null 2>&1; then
    spid=$(cat "$tmp/serve.pid")
    c external add other "127.0.0.1:$port/Default" >/dev/null; ok $? "a target"
    o=$(as carol merge "$M" --from other --dry-run 2>&1); is $? 1 "a target not searched yet"
    like "$o" "search it first" "... says what to do"
    o=$(as carol external search other 'title="computer bible"' 2>&1); ok $? "external search"
    o=$(as carol merge "$M" --from other --record 2 --dry-run 2>&1); is $? 1 "beyond the hits"
    o=$(as carol merge "$M" --from other --dry-run 2>&1); is $? 0 "its one hit is taken"
    like "$o" "^Copy & Merge from other record 1 \('title=\"computer bible\"'\) onto $M" "the target record is named"
    like "$o" '^[~-] 245 10 \$\$a Computer science ' "the local title goes..."
    like "$o" '^(\+|    ->) 245 .. \$\$a The Computer Bible' "... the target's comes"
    kill "$spid" 2>/dev/null
    spid=""
else
    ok 0 "# skip colophon serve did not start: merge from a Z39.50 target"
fi

# --- a stored merge rule ---
cat >"$tmp/keep.rule" <<'EOF'
rule "Keep subjects"
when merge
then
replace MARC."LDR"
remove MARC."2"XX
add MARC."2"XX
end
EOF
c rule add "Keep subjects" --file "$tmp/keep.rule" >/dev/null; ok $? "rule add (admin)"
o=$(as carol merge "$M" --from "$tmp/ext.mrk" --rule "Keep subjects" --dry-run 2>&1); is $? 0 "--rule"
like "$o" "merge rule: Keep subjects" "the rule is named"
ok $(printf '%s\n' "$o" | grep -q '^+ 650' && echo 1 || echo 0) "the rule keeps the local subjects"
o=$(as carol merge "$M" --from "$tmp/ext.mrk" --rule "Nope" --dry-run 2>&1); is $? 1 "an unknown rule"
c config set merge.rule "Keep subjects" >/dev/null; ok $? "config merge.rule"
o=$(as carol merge "$M" --from "$tmp/ext.mrk" --dry-run 2>&1)
like "$o" "merge rule: Keep subjects" "merge.rule is used"
c config set merge.rule "" >/dev/null

# --- on a terminal: asks ---
if command -v script >/dev/null 2>&1; then
    o=$(printf 'n\n' | script -qec "$bin --repo $repo --user carol merge $M --from $tmp/ext.mrk" /dev/null)
    like "$o" "Copy & Merge\? \[y/N\]" "on a terminal it asks"
    like "$o" "Nothing was changed" "n changes nothing"
    is "$(info "$M" Version)" "4 (revert)" "nothing written after n"
    o=$(printf 'y\n' | script -qec "stty cols 150; $bin --repo $repo --user carol merge $M --from $tmp/ext.mrk" /dev/null)
    like "$o" "\| after Copy & Merge" "a wide terminal shows the records side by side"
    like "$o" "is now version 5" "y applies"
else
    ok 0 "# skip script(1) not installed: terminal questions"
fi

# --- the gateway import ---
B1=$(bibid 3) B2=$(bibid 4) B3=$(bibid 5) B4=$(bibid 10) B5=$(bibid 1)
printf '=035  \\\\$a(OCoLC)1001\n=949  \\\\$aGateway keeps me\n' | give "$B1" alice
printf '=035  \\\\$a(OCoLC)1003\n' | give "$B2" alice
printf '=035  \\\\$a(OCoLC)1003\n' | give "$B3" alice
printf '=035  \\\\$a(OCoLC)1004\n' | give "$B4" alice
printf '=035  \\\\$a(OCoLC)1005\n=998  \\\\$ano-overlay\n' | give "$B5" alice
{
    external "$B1" 1001 "Overlaid by the gateway"
    external "$B1" 1002 "Created by the gateway"
    external "$B2" 1003 "Two of these"
    external "$B4" 1004 "Locked"
    external "$B5" 1005 "Protected"
    external "$B1" 1 "No number" | sed -e '/^=001/d' -e '/^=003/d'
} >"$tmp/gw.mrk"
$bin import --match isbn "$tmp/gw.mrk" >/dev/null 2>&1; is $? 2 "--match takes oclc only"
$bin import --match oclc --permissive "$tmp/gw.mrk" >/dev/null 2>&1; is $? 2 "--permissive does not go with --match"
o=$(as ivan import --match oclc "$tmp/gw.mrk" 2>&1); is $? 1 "inventory cannot run the gateway import"
like "$o" "needs role cataloger" "the role is named"
if [ $have_sqlite = 1 ]; then
    db "INSERT INTO lock (mms, user, since, seen, version) VALUES ('$B4', 'alice', strftime('%s','now'), strftime('%s','now'), 2)"
fi
n0=$(nbibs)
o=$(as bob import --match oclc "$tmp/gw.mrk" 2>"$tmp/err"); is $? 1 "refused records: exit 1"
like "$o" "gw.mrk: record 1: overlaid $B1 \(OCLC 1001\) \"Overlaid by the gateway.*\": matched by OCLC number 1001" "record 1 overlaid"
like "$o" "gw.mrk: record 2: created 99[0-9]+ \(OCLC 1002\)" "record 2 created"
like "$o" "gw.mrk: record 3: multi-match \(OCLC 1003\) .*: multiple matches found for this record: $B2 .*, $B3 " "record 3: multiple matches, both named"
if [ $have_sqlite = 1 ]; then
    like "$o" "gw.mrk: record 4: locked $B4 .*: record is locked by alice" "record 4: locked by alice"
fi
like "$o" "gw.mrk: record 5: protected $B5 .*998 no-overlay" "record 5: protected by its 998"
like "$o" "gw.mrk: record 6: refused .*no OCLC number" "record 6: no OCLC number"
like "$o" "gw.mrk: records 6, overlaid 1, created 1, multi-match 1, locked 1, protected 1, refused 1" "the counts"
like "$(cat "$tmp/err")" "1 record\(s\) refused \(bad data" "the exit reason"
is "$(nbibs)" $((n0 + 1)) "one record created"
is "$(info "$B1" Version)" "3 (overlay)" "overlaid: reason overlay"
like "$(info "$B1" Updated)" "by bob" "... by the importing user"
like "$(c show --format mrk "$B1")" '=949  \\\\\$aGateway keeps me' "... local field kept"
new=$(printf '%s\n' "$o" | sed -n 's/.*record 2: created \(99[0-9]*\) .*/\1/p')
like "$(info "$new" Created)" "by system" "created by system"
is "$(info "$B2" Version)" "2 (edit)" "multi-match: untouched"
is "$(info "$B4" Version)" "2 (edit)" "locked: untouched"
is "$(info "$B5" Version)" "2 (edit)" "protected: untouched"
# only conflicts: exit 3; a clean file: 0, and again: overlaid, not doubled
awk 'BEGIN { RS = ""; ORS = "\n\n" } NR == 3' "$tmp/gw.mrk" >"$tmp/multi.mrk"
o=$(as bob import --match oclc "$tmp/multi.mrk" 2>&1); is $? 3 "only a multi-match: exit 3"
awk 'BEGIN { RS = ""; ORS = "\n\n" } NR <= 2' "$tmp/gw.mrk" >"$tmp/clean.mrk"
n0=$(nbibs)
o=$(as bob import --match oclc "$tmp/clean.mrk" 2>&1); is $? 0 "every record went in: exit 0"
like "$o" "records 2, overlaid 2, created 0" "a second run overlays what the first created"
is "$(nbibs)" "$n0" "nothing doubled"
o=$(as bob import --match oclc -q - <"$tmp/clean.mrk" 2>&1); is $? 0 "standard input"
like "$o" "<stdin>: record 1: overlaid" "named <stdin>"

done_testing
