#!/bin/sh
# test_search.sh - `colophon search` end to end through the real binary: a
# repository made with `colophon init` and `colophon import` from the LoC
# MARC-8 sample and the project's records, searched by every index, with
# scopes, zones, paging, counting, full-record formats, malformed queries
# shown with a caret, and hostile input.
# Usage: test_search.sh COLOPHON_BINARY TEST_DATA_DIR
set -u
bin=$1
data=$2
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
loc=/usr/share/doc/idzebra-2.0/examples
unset COLOPHON_REPO

c() { "$bin" --repo "$repo" --user tester "$@"; }
# lines of output (0 for none)
count_lines() { if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l | tr -d ' '; fi; }

# --- usage ---
o=$("$bin" search --help); ok $? "search --help exits 0"
like "$o" "Usage: colophon search" "search --help shows its usage"
like "$o" "linked!=network" "search --help lists the query language"
"$bin" --repo "$repo" search >/dev/null 2>&1; is $? 2 "no query exits 2"
for bad in "--zone xz" "--scope some" "--limit 0" "--limit -3" "--offset x" "--format pdf" "--bogus"; do
    # shellcheck disable=SC2086
    "$bin" --repo "$repo" search $bad war >/dev/null 2>&1; is $? 2 "search $bad exits 2"
done
err=$("$bin" --repo "$tmp/none" search war 2>&1); is $? 1 "no repository exits 1"
like "$err" "no Colophon repository" "... and says so"

# --- a repository of real records ---
"$bin" --user tester init --institution 1234 "$repo" >/dev/null; ok $? "init"
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
c import -q "$tmp/loc.mrc" "$data/records.mrk" "$data/search/records.mrk" 2>/dev/null
ok $? "import the LoC MARC-8 sample and the project's records"
c import -q "$data/search/holdings.mrk" 2>/dev/null; ok $? "import a holdings record with an item"
c import -q --zone nz "$data/records.mrk" 2>/dev/null; ok $? "import the project's records into the NZ"

# --- brief lines, every index ---
out=$(c search dvorak); ok $? "keyword search exits 0"
is "$(count_lines "$out")" 1 "dvorak finds one record (diacritics folded)"
like "$out" '^99[0-9]{9}1234  IZ  2026  Symfonie č\. 9 e moll : "Z nového světa" / Dvořák, Antonín, 1841-1904  \(no inventory\)$' \
    "brief line: MMS ID, zone, date, title / author, inventory"
dvorak=${out%% *}
is "$(c search "mms=$dvorak" | cut -d' ' -f1)" "$dvorak" "mms= finds the record"
is "$(c search 'title="z noveho sveta"' | cut -d' ' -f1)" "$dvorak" "title phrase without diacritics"
is "$(c search author=dvo\*)" "$out" "author truncation"
is "$(c search oclc=12345 | cut -d' ' -f1)" "$dvorak" "oclc= ignores the ocm prefix and leading zeros"
is "$(c search 'oclc=(OCoLC)ocm0012345' | cut -d' ' -f1)" "$dvorak" "oclc= takes a 035 value as it is"
is "$(c search isbn=0-306-40615-2 | cut -d' ' -f1)" "$dvorak" "isbn= ISBN-10 finds the stored ISBN-13"
is "$(count_lines "$(c search issn=1064-3923)")" 1 "issn= finds Internet world"
like "$(c search issn=1064-3923)" "Internet world" "... by its ISSN"
like "$(c search subject=cartography)" "Puget Sound" "subject="
like "$(c search oclc=55555)" "Zebra stripes" "a cancelled OCLC number (019) finds the record"
is "$(count_lines "$(c search title=zebra AND author=striped)")" 1 "several arguments are one query"
is "$(count_lines "$(c search 'computer NOT (congresses OR subject=passwords)')")" \
    "$(count_lines "$(c search -n 100 computer NOT congresses NOT subject=passwords)")" "Boolean operators and parentheses"

# --- scope, inventory, barcode ---
is "$(count_lines "$(c search zebra)")" 2 "scope all: two zebra records"
out=$(c search --scope physical zebra)
is "$(count_lines "$out")" 1 "scope physical: only the one with holdings"
like "$out" "Zebra stripes.*\(1 holding, 1 item\)$" "... with its inventory count"
like "$(c search barcode=BC-CLI-0001)" "Zebra stripes" "barcode= finds the bib of the item"
is "$(c search linked=network)" "" "linked=network: none linked"

# --- zones ---
out=$(c search --zone nz dvorak)
like "$out" '^99[0-9]{9}4801  NZ  ' "--zone nz searches the network zone"
is "$(c search --zone nz computer)" "" "the NZ does not have the LoC records"
err=$(c search --zone cz dvorak 2>&1); is $? 1 "a zone the repository lacks exits 1"
like "$err" "has no CZ" "... and says so"

# --- paging and counting ---
n=$(c search --count computer); ok $? "--count exits 0"
like "$n" '^[0-9]+$' "--count prints a number"
is "$(count_lines "$(c search --limit 1000 computer)")" "$n" "--count equals the number of lines"
is "$(count_lines "$(c search -n 3 computer)")" 3 "--limit 3"
p1=$(c search -n 3 computer | cut -d' ' -f1)
p2=$(c search -n 3 -o 3 computer | cut -d' ' -f1)
all=$(c search -n 6 computer | cut -d' ' -f1)
is "$(printf '%s\n%s' "$p1" "$p2")" "$all" "--offset gives the next page"
is "$(c search --count 'NOT zzzzqqq')" 30 "all 30 bibs of the IZ"
err=$(c search -n 1 computer 2>&1 >/dev/null); is "$err" "" "quiet in a pipe: no paging hint"
out=$(c search zzzzqqq 2>&1); ok $? "no hits exits 0"
is "$out" "" "... and prints nothing in a pipe"

# --- full records ---
out=$(c search --format mrk dvorak)
like "$out" "^=001  $dvorak\$" "--format mrk: the stored record"
like "$out" '=100  1\\\$aDvořák' "... in UTF-8"
out=$(c search -f marcxml zebra)
is "$(printf '%s\n' "$out" | grep -c '<record')" 2 "--format marcxml: both records"
printf '%s\n' "$out" | xmllint --noout - 2>/dev/null; ok $? "... well-formed"
c search -f iso2709 computer >"$tmp/hits.mrc"; ok $? "--format iso2709"
is "$(tr -cd '\035' <"$tmp/hits.mrc" | wc -c | tr -d ' ')" "$(count_lines "$(c search computer)")" "... one record per hit"
like "$(c search -f json dvorak)" '"001": *"'"$dvorak"'"' "--format json"
like "$(c search -f text dvorak)" '^245 10 \$\$a Symfonie' "--format text: the Alma-like view"

# --- malformed queries: message, query, caret ---
err=$(c search 'x (title=wary' 2>&1); is $? 1 "a malformed query exits 1"
is "$err" "colophon search: column 14: expected ')' to close the '(' at column 3
  x (title=wary
               ^" "the message names the column and a caret points at it"
err=$(c search war AND 2>&1); is $? 1 "a dangling AND exits 1"
is "$(printf '%s\n' "$err" | tail -n 1)" "         ^" "... caret after the AND"
err=$(c search 'isbn=12-x' 2>&1); is $? 1 "a value an index cannot take exits 1"
like "$err" "column 1: '12-x' is not an ISBN" "... and says why"
err=$(c search 'Dvořák (x' 2>&1)
is "$(printf '%s\n' "$err" | tail -n 1)" "           ^" "the caret counts characters, not bytes"

# --- hostile input: searched as text or refused with a column, never an SQL/FTS5 error ---
like "$(c search "'; DROP TABLE bib; --")" "Robert'\); DROP TABLE bib;--" "SQL in a query is searched as words"
like "$(c search '"NEAR(x y)"')" "Robert" "FTS5 syntax in a phrase is searched as words"
for q in 'NEAR(' '"' '-' '^' ':' 'title:computer' 'a OR' "x' OR '1'='1" '{title}:x' '*' 'computer)' \
    'c*r' 'NOT' '"x" NEAR/2 y' 'mms=1;DELETE' 'barcode="' "oclc=1'--"; do
    err=$(c search "$q" 2>&1 >/dev/null)
    st=$?
    if [ $st -eq 0 ] || { [ $st -eq 1 ] && printf '%s\n' "$err" | grep -q 'column [0-9]'; }; then
        ok 0 "hostile query [$q] searched or refused with a column"
    else
        ok 1 "hostile query [$q] searched or refused with a column"
        echo "#   exit $st: $err"
    fi
done
is "$(c search --count 'NOT zzzzqqq')" 30 "every record is still there"

# --- deleted records are never found ---
zebra2=$(c search 'title="notes on animals"' | cut -d' ' -f1)
c delete --yes "$zebra2" >/dev/null 2>&1; ok $? "delete a record"
is "$(c search 'title="notes on animals"')" "" "a deleted record is not found by its words"
is "$(c search "mms=$zebra2")" "" "... nor by its MMS ID"
is "$(c search --count zebra)" 1 "... nor counted"

done_testing
