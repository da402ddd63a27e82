#!/bin/sh
# test_z3950_client.sh - `colophon external` against a real Z39.50 server:
# Zebra (Debian's zebrasrv), loaded with the LoC sample records and our
# MARC-8 fixture, started here on 127.0.0.1 at a free port and stopped on
# exit.  Targets (add, list, remove, the user's targets file), searches by
# every index the query language maps to Bib-1 (title, author, ISBN, ISSN,
# local number, OCLC number, keyword, subject; phrase, truncation, AND,
# OR, NOT), the per-target map.oclc option, show in every format, MARC-8
# records arriving as UTF-8 NFC with leader/09 'a', and Copy & Merge from
# the target (--dry-run, then for real: a version written, 001 kept).
# Usage: test_z3950_client.sh COLOPHON_BINARY TESTS_DATA_DIR
set -u
bin=$1
data=$2
here=$(dirname "$0")
. "$here/tap.sh"
. "$here/zebra.sh"
if ! zebra_have; then
    echo "1..0 # SKIP zebrasrv/zebraidx not installed (Debian package idzebra-2.0)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'zebra_stop; rm -rf "$tmp"' EXIT
unset COLUMNS
export XDG_CONFIG_HOME="$tmp/config"
loc=/usr/share/doc/idzebra-2.0/examples
repo=$tmp/repo
c() { "$bin" --repo "$repo" "$@"; }
# The brief lines of a search, without the stderr summary.
hits() { c external search "$@" 2>/dev/null; }
# The summary line: "zeb: N records for QUERY".
count() { c external search "$@" 2>&1 >/dev/null | sed -n 's/^[^:]*: \([0-9]*\) records\{0,1\} for .*/\1/p'; }

# --- the Zebra target ---
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
port=$(free_port)
zebra_start "$tmp/zebra" "$data/zebra" "$port" "$tmp/loc.mrc" "$data/charset/scripts-marc8.mrc"
ok $? "zebrasrv serves the LoC sample and the MARC-8 fixture on 127.0.0.1:$port"
ZADDR=127.0.0.1:$port/Default

# --- targets: add, list, remove, the user's file ---
c init --institution 1234 >/dev/null; ok $? "init"
o=$(c external list 2>&1); is $? 0 "list with no targets exits 0"
like "$o" "no targets yet" "... and says how to define one"
o=$(c external add zeb "$ZADDR" timeout=10); is $? 0 "external add"
like "$o" "Added target zeb: $ZADDR" "... says what it added"
o=$(c external add zeb "$ZADDR" 2>&1); is $? 1 "adding a name twice is refused"
like "$o" "zeb" "... naming the target"
o=$(c external add bad "$ZADDR" sytax=usmarc 2>&1); is $? 1 "an unknown option is refused"
like "$o" "unknown option 'sytax'" "... naming it"
o=$(c external add bad "$ZADDR" timeout=x 2>&1); is $? 1 "a bad timeout is refused"
like "$o" "timeout" "... naming the option"
c external add nooclc "$ZADDR" map.oclc=none >/dev/null &&
    c external add std "$ZADDR" map.oclc=1007 >/dev/null &&
    c external add latin1 "$ZADDR" charset=iso-8859-1 >/dev/null &&
    c external add gone 127.0.0.1:1/Default >/dev/null
ok $? "targets nooclc (map.oclc=none), std (map.oclc=1007), latin1, gone"
o=$(c external list); is $? 0 "external list"
like "$o" "^zeb +Z39\.50 $ZADDR  timeout=10  \(repository\)" "list: address, options, origin"
like "$o" "^std +Z39\.50 $ZADDR  map\.oclc=1007" "list: the map option"
o=$(c external remove gone); is $? 0 "external remove"
like "$o" "Removed target gone" "... says so"
ok $(c external list | grep -q '^gone ' && echo 1 || echo 0) "the removed target is gone from the list"
o=$(c external remove gone 2>&1); is $? 1 "removing it again: no such target"
mkdir -p "$XDG_CONFIG_HOME/colophon"
printf '# mine\nmine  %s  timeout=5 user=me password="s3 cret"\n' "$ZADDR" >"$XDG_CONFIG_HOME/colophon/targets"
o=$(c external list); is $? 0 "list with a targets file"
like "$o" "^mine +Z39\.50 $ZADDR .*password=\*\*\* .*targets:2\)" "the file's target, its line, the password hidden"
ok $(printf '%s\n' "$o" | grep -q 's3 cret' && echo 1 || echo 0) "the password is never listed"
is "$(count mine 'title=computer')" 9 "a target of the file is searched (with its user and password)"
printf 'mine %s sytax=x\n' "$ZADDR" >>"$XDG_CONFIG_HOME/colophon/targets"
o=$(c external list 2>&1); is $? 1 "a malformed targets file is an error"
like "$o" "targets:3: .*unknown option 'sytax'" "... naming the file, the line and the problem"
rm "$XDG_CONFIG_HOME/colophon/targets"

# --- searching Zebra: every index, phrase, truncation, Boolean operators ---
o=$(c -v external search zeb 'title=computer' 2>&1); is $? 0 "search by title"
like "$o" 'sending @attr 1=4 "computer" to zeb' "title is Bib-1 Use 4"
like "$o" "zeb: 9 records for title=computer" "9 titles with 'computer'"
like "$o" "^   1  1991  How to program a computer / Jack Collins" "brief line: number, date, title / author"
o=$(hits zeb 'author=collins'); like "$o" "How to program a computer / Jack Collins" "search by author (1=1003)"
is "$(count zeb 'author=collins')" 2 "two records by Collins"
o=$(c -v external search zeb 'isbn=0-8391-0882-6' 2>&1)
like "$o" '@attr 1=7 "0839108826"' "ISBN: 1=7, hyphens dropped"
like "$o" "Reconstruction tomography in diagnostic radiology" "search by ISBN finds the book"
is "$(count zeb 'issn=1064-3923')" 1 "search by ISSN (1=8)"
o=$(c -v external search zeb 'mms=ACD-3792' 2>&1)
like "$o" '@attr 1=12 "ACD-3792"' "local number is 1=12"
like "$o" "The late shift" "search by local number (001) finds it"
o=$(c -v external search zeb 'oclc=(OCoLC)26273275' 2>&1)
like "$o" '@attr 1=1211 "26273275"' "OCLC number: 1=1211, the number normalized"
like "$o" "Internet world .*\[OCLC 26273275\]" "search by OCLC number finds the serial"
is "$(count zeb 'internet')" 2 "keyword search (1=1016)"
is "$(count zeb 'subject=periodicals')" 2 "subject search (1=21)"
o=$(c -v external search zeb 'title="how to program"' 2>&1)
like "$o" '@attr 1=4 @attr 4=1 "how to program"' "a phrase is structure 4=1"
like "$o" "zeb: 2 records" "the phrase finds both copies"
is "$(count zeb 'title="program how to"')" 0 "the words in another order are no phrase"
o=$(c -v external search zeb 'title=comput*' 2>&1)
like "$o" '@attr 5=1 "comput"' "truncation is 5=1"
is "$(count zeb 'title=pass')" 0 "no title word 'pass'"
o=$(hits zeb 'title=pass*'); like "$o" "The use of passwords" "pass* finds 'passwords'"
all=$(count zeb 'computer'); prog=$(count zeb 'computer AND program')
like "$all" '^[0-9]+$' "keyword computer: $all records"
is "$prog" 2 "computer AND program"
is "$(count zeb 'computer NOT program')" $((all - 2)) "computer NOT program: the others"
is "$(count zeb 'title=bible OR title=deuteronomy')" 3 "OR (the Computer Bible, Deuteronomy, the psalms of the Bible series)"
is "$(count zeb 'internet AND (subject=periodicals OR title=lists)')" 2 "parentheses"
is "$(count zeb 'title=xyzzynothing')" 0 "no hits is no error"

# --- the per-target OCLC attribute ---
o=$(c external search nooclc 'oclc=26273275' 2>&1); is $? 1 "a target without an OCLC index (map.oclc=none)"
like "$o" "nooclc has no oclc index \(its map\.oclc is none\)" "... says so"
o=$(c -v external search std 'oclc=26273275' 2>&1); is $? 0 "map.oclc=1007"
like "$o" '@attr 1=1007 "26273275"' "... sends Use 1007 instead of 1211"
like "$o" "Internet world" "... and Zebra finds the serial by it"
c external add attrs "$ZADDR" map.title=1=4,4=1 >/dev/null
o=$(c -v external search attrs 'title="how to program"' 2>&1)
like "$o" '@attr 1=4 @attr 4=1 "how to program"' "an attribute list in map.title, no second 4="

# --- show: every format; MARC-8 arrives as UTF-8 NFC ---
c external search zeb 'mms=colophon-charset-1' >/dev/null 2>&1
o=$(c external show zeb 1); is $? 0 "show (text)"
like "$o" '^LDR    .{9}a' "leader/09 is 'a' (UTF-8)"
like "$o" '^100 1# \$\$a Dvořák, Antonín,' "MARC-8 diacritics arrive as UTF-8"
like "$o" '^245 10 \$\$a Café Łódź, Straße, Über : \$\$b B♭ minor, x² \+ H₂O' "ANSEL specials, superscript, subscript"
like "$o" 'Москва' "Cyrillic (ESC ( N)"
like "$o" '人大 가' "EACC"
# NFC: r with caron is one code point (c5 99), not r + combining caron (cc 8c)
ok $(c external show zeb 1 | grep '^100' | od -An -tx1 | tr -d ' \n' | grep -q 'c599' && echo 0 || echo 1) "NFC: ř precomposed"
o=$(c external show zeb 1 --format mrk); like "$o" '^=100  1\\\$aDvořák, Antonín,\$d1841-1904\.' "show --format mrk"
o=$(c external show zeb 1 --format marcxml)
like "$o" '<controlfield tag="001">colophon-charset-1</controlfield>' "show --format marcxml"
if command -v xmllint >/dev/null 2>&1; then
    printf '%s\n' "$o" | xmllint --noout - 2>/dev/null; ok $? "... well-formed XML (xmllint)"
fi
o=$(c external show zeb 1 --format json); like "$o" '"a":"Dvořák, Antonín,"' "show --format json"
c external show zeb 1 --format iso2709 >"$tmp/one.mrc"; is $? 0 "show --format iso2709"
is "$(head -c 10 "$tmp/one.mrc" | tail -c 1)" a "... leader/09 'a' in the ISO 2709"
o=$(yaz-marcdump -f utf-8 -t utf-8 "$tmp/one.mrc" 2>&1); like "$o" "Dvořák" "... which yaz-marcdump reads as UTF-8"
o=$(c external show zeb 2 2>&1); is $? 1 "show beyond the hits"
like "$o" "record 2|1 record" "... says how many there are"
o=$(c external show zeb x 2>&1); is $? 2 "show N must be a number"
o=$(c external show nosuch 1 2>&1); is $? 1 "show of an unknown target"
c external add fresh "$ZADDR" >/dev/null
o=$(c external show fresh 1 2>&1); is $? 1 "show before any search of that target"
like "$o" "fresh" "... names the target"
# a record not fetched with the search: fetched now
c external search zeb 'title=computer' --limit 2 >/dev/null 2>&1
o=$(c external show zeb 7); is $? 0 "show a record the search did not bring (fetched now)"
like "$o" '^245 ' "... a whole record"
# the target's charset option: the Danish record of the sample is Latin-1 in fact
o=$(hits latin1 'bob'); like "$o" "Strækøvelser" "charset=iso-8859-1 reads a Latin-1 record right"
o=$(hits zeb 'bob' 2>&1); ok $(printf '%s\n' "$o" | grep -q 'Strækøvelser' && echo 1 || echo 0) \
    "... which charset=auto reads as MARC-8 (leader/09 blank): not the same text"

# --- Copy & Merge from the target ---
printf '=LDR  00000nas a2200000 a 4500\n=008  920728c19929999ctumn1p       0   a0eng d\n=035  \\\\$a(OCoLC)26273275\n=245  00$aInternet world (local brief record)\n=949  \\\\$aShelved with the serials\n\n' >"$tmp/local.mrk"
c import "$tmp/local.mrk" >/dev/null 2>&1; ok $? "a brief local record"
M=$(c search 'title=brief' | awk '{ print $1; exit }')
like "$M" '^99[0-9]+1234$' "its MMS ID $M"
c external search zeb 'oclc=26273275' >/dev/null 2>&1
o=$(c merge "$M" --from zeb --record 1 --dry-run 2>"$tmp/err"); is $? 0 "merge --dry-run from the target"
like "$o" "^Copy & Merge from zeb record 1 \('oclc=26273275'\) onto $M" "the preview names the target, the search, the record"
like "$o" "^= 001    $M\$" "001 stays"
like "$o" '^= 949 ## \$\$a Shelved with the serials   \(local\)' "the local 949 stays"
like "$o" '^\+ 022 0# \$\$a 1064-3923' "the target's 022 comes"
like "$o" '^~ 245 00 \$\$a Internet world \(local brief record\)' "245 changes"
like "$(cat "$tmp/err")" "Dry run: nothing was changed" "nothing changed"
is "$(c versions "$M" | grep -c '^ .* [0-9][0-9]:[0-9][0-9] ')" 1 "one version still"
o=$(c merge "$M" --from zeb --record 1 --yes 2>&1); is $? 0 "Copy & Merge from the target"
o=$(c versions "$M"); like "$o" "2 .*merge" "version 2, reason merge"
o=$(c show "$M"); like "$o" "^001    $M\$" "001 kept"
like "$o" '^245 00 \$\$a Internet world\.' "the target's 245"
like "$o" '^022 0# \$\$a 1064-3923' "the target's 022"
like "$o" '^949 ## \$\$a Shelved with the serials' "the local 949"
o=$(c merge "$M" --from zeb --record 5 --dry-run 2>&1); is $? 1 "--record beyond the hits"
like "$o" "1 record|no record 5|record 5" "... says so"

done_testing
