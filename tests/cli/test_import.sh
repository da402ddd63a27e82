#!/bin/sh
# test_import.sh - `colophon import` and `colophon export` end to end, through
# the real binary, on the Debian LoC records, the project's records.mrk and
# the holdings files of tests/data/holdings: summaries, exit codes, strict
# and permissive, standard input, resume after `kill -9` of a large import
# (integrity, whole batches, every record exactly once), export round trips.
# Usage: test_import.sh COLOPHON_BINARY TEST_DATA_DIR
set -u
bin=$1
data=$2
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
unset COLOPHON_REPO
loc=/usr/share/doc/idzebra-2.0/examples
repo=$tmp/repo

c() { "$bin" --repo "$repo" --user admin "$@"; }
sql() { sqlite3 "$repo/iz.db" "$1"; }
counts() { sql "SELECT (SELECT count(*) FROM bib) || ' ' || (SELECT count(*) FROM holding) || ' ' || (SELECT count(*) FROM item) || ' ' || (SELECT count(*) FROM ident) || ' ' || (SELECT count(*) FROM import_run) || ' ' || (SELECT sum(next) FROM counter)"; }

"$bin" --user admin init --institution 1234 "$repo" >/dev/null || exit 1

# --- usage ---
for v in import export; do
    o=$(c $v --help); ok $? "$v --help exits 0"
    like "$o" "Usage: colophon $v" "$v --help shows its usage"
done
c import >/dev/null 2>&1; is $? 2 "import without FILE exits 2"
c import --zone xz "$data/records.mrk" >/dev/null 2>&1; is $? 2 "import --zone xz exits 2"
c import --batch 0 "$data/records.mrk" >/dev/null 2>&1; is $? 2 "import --batch 0 exits 2"
c import - - </dev/null >/dev/null 2>&1; is $? 2 "standard input twice exits 2"
c export >/dev/null 2>&1; is $? 2 "export without OUT exits 2"
c export --query x 991000000011234 "$tmp/o.mrc" >/dev/null 2>&1; is $? 2 "export with IDs and --query exits 2"
c export 991000000011234 "$tmp/o.unknown" >/dev/null 2>&1; is $? 2 "export to an unknown extension exits 2"
err=$(c import "$tmp/nothing.mrc" 2>&1); is $? 4 "a missing file exits 4"
like "$err" "nothing.mrc" "the missing file is named"

# --- the LoC records, MARC-8 ISO 2709 ---
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
out=$(c import "$tmp/loc.mrc" 2>"$tmp/err"); ok $? "LoC sample imported"
is "$out" "$tmp/loc.mrc: records 24, bibs 24, holdings 0, items 0, skipped 0, invalid 1, resumed 0" "summary of the LoC import"
like "$(cat "$tmp/err")" "record 24 .*imported as 99[0-9]+1234, to fix" "the invalid record is named with its MMS ID"
is "$(sql "SELECT count(*) FROM bib WHERE instr(marc, '(DLC)11224466') > 0")" 1 "the old 001 is kept in 035"
mms=$(sql "SELECT b.mms FROM ident i JOIN bib b ON b.id = i.bib WHERE i.key = 'c:11224466'")
like "$mms" '^99[0-9]{9}1234$' "the original 001 finds the bib ($mms)"
c show --format mrk "$mms" >"$tmp/show.mrk"; ok $? "the imported record shows"
grep -q "^=001  $mms\$" "$tmp/show.mrk"; ok $? "001 holds the MMS ID"
grep -q '^=LDR  .........a' "$tmp/show.mrk"; ok $? "stored in UTF-8 (leader/09 a)"

# The same file again: nothing imported, and said so; --again imports it once more.
before=$(counts)
err=$(c import "$tmp/loc.mrc" 2>&1 >"$tmp/out"); ok $? "a second import of the same file exits 0"
like "$err" "was imported into the IZ on .* \\(24 records\\); nothing was imported" "and says it was imported before"
is "$(counts)" "$before" "and changes nothing"
cp "$tmp/loc.mrc" "$tmp/moved.mrc"
c import -q "$tmp/moved.mrc" 2>/dev/null; is "$(counts)" "$before" "a copy of the file under another name is the same file"
out=$(c import --again "$tmp/loc.mrc" 2>/dev/null); ok $? "--again imports it once more"
like "$out" "bibs 24," "24 more bibs"
is "$(sql 'SELECT count(*) FROM bib')" 48 "48 bibs now"

# --- MARCXML and standard input ---
zcat "$loc/marcxml/collection-opera-43.xml.gz" >"$tmp/opera.xml"
out=$(c import "$tmp/opera.xml" 2>/dev/null); ok $? "LoC MARCXML imported"
like "$out" "records 43, bibs 43," "43 bibs from the MARCXML"
out=$(c import - <"$data/records.mrk" 2>/dev/null); ok $? "records.mrk from standard input"
is "$out" "<stdin>: records 3, bibs 3, holdings 0, items 0, skipped 0, invalid 0, resumed 0" "summary names <stdin>"
err=$(c import - <"$data/records.mrk" 2>&1 >/dev/null); like "$err" "was imported" "the same input again is recognised"

# --- strict and permissive ---
before=$(counts)
err=$(c import "$data/holdings/orphan.mrk" 2>&1); is $? 1 "a holdings record without its bib fails the strict import"
like "$err" "orphan.mrk: record 2 \\(line [0-9]+\\): error: its 004 'no-such-bib' names no bib" "the error names the record, line and 004"
like "$err" "nothing was imported" "and says nothing was imported"
is "$(counts)" "$before" "the repository is unchanged (rows, counters, runs)"
is "$(sql 'PRAGMA integrity_check')" ok "integrity_check passes"
zcat "$loc/marcxml/collection-namemrc.xml.gz" >"$tmp/names.xml"
err=$(c import "$tmp/names.xml" 2>&1); is $? 1 "authority records fail the strict import"
is "$(printf '%s\n' "$err" | grep -c 'error: this is an authority record')" 20 "each of the 20 is named"
out=$(c import --permissive "$data/holdings/orphan.mrk" "$data/holdings/twice.mrk" 2>"$tmp/err"); ok $? "--permissive imports the rest"
like "$out" "orphan.mrk: records 2, bibs 1, holdings 0, items 0, skipped 1," "orphan: its bib imported, the holdings skipped"
like "$out" "twice.mrk: records 3, bibs 1, holdings 1, items 1, skipped 1," "twice: the second item of a barcode skipped"
like "$(cat "$tmp/err")" "record 3 \\(line [0-9]+\\): warning: skipped: barcode 39000077 already belongs to item 23" "the skip gives the reason"

# --- holdings and items ---
out=$(c import "$data/holdings/library.mrk" 2>/dev/null); ok $? "bibs with holdings and items imported"
like "$out" "records 5, bibs 2, holdings 3, items 5, skipped 0" "two bibs, three holdings, five items"
bib=$(sql "SELECT b.mms FROM ident i JOIN bib b ON b.id = i.bib WHERE i.key = 'c:hb0000001'")
inv=$(c show --holdings "$bib"); ok $? "show --holdings of the book"
like "$inv" "39000002" "its items are listed"
is "$(sql "SELECT status FROM item WHERE barcode = '39000002'")" missing "876 \$j Missing. is 'missing'"
is "$(sql "SELECT count(*) FROM holding WHERE instr(marc, '39000001') > 0")" 0 "item fields are not kept in the MFHD"

# --- export ---
ids=$(sql "SELECT b.mms FROM ident i JOIN bib b ON b.id = i.bib WHERE i.key IN ('c:col0000001', 'c:col0000002', 'c:col0000003') ORDER BY b.id")
c export $ids "$tmp/e.mrc"; ok $? "export by MMS ID"
"$bin" convert -q "$tmp/e.mrc" "$tmp/e.mrk" && "$bin" convert -q "$data/records.mrk" "$tmp/o.mrc" && "$bin" convert -q "$tmp/o.mrc" "$tmp/o.mrk"
# What an import adds: 001, 005, the 035 with the old 001; lengths in the leader.
norm() { grep -v '^=00[15]  \|^=035  \\\\\$a\((XXc)\)\?col000000[123]$' "$1" | sed 's/^=LDR  ...../=LDR  -----/; s/^\(=LDR  ............\)...../\1-----/'; }
norm "$tmp/e.mrk" >"$tmp/e.norm"; norm "$tmp/o.mrk" >"$tmp/o.norm"
cmp -s "$tmp/e.norm" "$tmp/o.norm"; ok $? "import then export gives the records back (but for 001, 005, 035)"
[ -s "$tmp/e.norm" ] && grep -q 'Dvořák' "$tmp/e.norm"; ok $? "with their UTF-8 text"
c export --to marcxml $ids - >"$tmp/stdout.xml"; ok $? "export to standard output"
is "$(grep -c '<record>' "$tmp/stdout.xml")" 3 "three records in the MARCXML"
c export --to-charset marc8 --to iso2709 $(sql "SELECT mms FROM bib ORDER BY id LIMIT 3") "$tmp/m8.mrc"; ok $? "export in MARC-8"
is "$(head -c 10 "$tmp/m8.mrc" | cut -c10)" " " "leader/09 is blank (MARC-8)"
books=$(sql "SELECT b.mms FROM ident i JOIN bib b ON b.id = i.bib WHERE i.key IN ('c:hb0000001', 'c:hb0000002') ORDER BY b.id")
c export --with-holdings $books "$tmp/h.mrk"; ok $? "export --with-holdings"
grep -q '^=852  01\$81\$bMAIN\$cSTACKS' "$tmp/h.mrk"; ok $? "852 embedded with \$8 1"
grep -q '^=876  \\\\\$81\.2\$a23[0-9]*1234\$p39000002\$3v\.2\$jmissing$' "$tmp/h.mrk"; ok $? "876 with \$8, item MMS ID, barcode, description, status"
is "$(grep -c '^=876' "$tmp/h.mrk")" 5 "all five items embedded"
printf '%s\n' $ids >"$tmp/ids.txt"
c export --ids "$tmp/ids.txt" "$tmp/ids.json"; ok $? "export --ids FILE"
is "$(grep -o '"leader"' "$tmp/ids.json" | wc -l)" 3 "three records in the JSON"
# A set (written straight into its tables: the set verb is another issue's).
sql "INSERT INTO record_set (name, created_at, created_by) VALUES ('three', 0, 'admin')"
pos=0
for m in $ids; do
    pos=$((pos + 1))
    sql "INSERT INTO set_member (set_id, position, mms) SELECT id, $pos, '$m' FROM record_set WHERE name = 'three'"
done
c export --set three "$tmp/set.mrk"; ok $? "export --set"
is "$(grep '^=001' "$tmp/set.mrk" | cut -c7- | tr '\n' ' ')" "$(echo $ids) " "the set's records, in its order"
c export --set nosuchset "$tmp/set2.mrk" >/dev/null 2>&1; is $? 1 "an unknown set exits 1"
n=$(c search --count 'title=computer' 2>/dev/null)
c export --query 'title=computer' "$tmp/q.mrk" 2>/dev/null; ok $? "export --query"
is "$(grep -c '^=LDR' "$tmp/q.mrk")" "$n" "as many records as the search finds"
echo keep >"$tmp/keep.mrc"
err=$(c export $ids 991999999991234 "$tmp/keep.mrc" 2>&1); is $? 1 "an unknown MMS ID exits 1"
like "$err" "991999999991234" "and is named"
is "$(cat "$tmp/keep.mrc")" keep "an existing OUT is left as it was"
c export --query 'title=(' "$tmp/bad.mrc" >/dev/null 2>&1; is $? 1 "a malformed query exits 1"
[ ! -e "$tmp/bad.mrc" ]; ok $? "and writes no file"

# --- resume after kill -9 ---
# 60,000 records of about 400 bytes, in batches of 500.
n=60000
awk -v n=$n 'BEGIN {
    for (i = 1; i <= n; i++) {
        printf "=LDR  00000nam a2200000 a 4500\n=001  big%07d\n", i
        printf "=020  \\\\$a%s\n", 9780000000000 + i
        printf "=245  10$aRecord %d of a large file :$bwords for the index, crash and resume /$cTest.\n", i
        printf "=500  \\\\$aA note so that the record has some length: the quick brown fox %d.\n\n", i
    }
}' >"$tmp/big.mrk"
rm -rf "$repo" && "$bin" --user admin init --institution 1234 "$repo" >/dev/null
"$bin" --repo "$repo" --user admin import -q --batch 500 "$tmp/big.mrk" 2>/dev/null &
pid=$!
done=0
tries=0
while [ "$done" -lt 5000 ] && [ $tries -lt 2000 ]; do
    done=$(sql "SELECT ifnull(max(records_done), 0) FROM import_run" 2>/dev/null || echo 0)
    [ -z "$done" ] && done=0
    tries=$((tries + 1))
    sleep 0.01
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
is "$(sql 'PRAGMA integrity_check')" ok "after kill -9 the database passes integrity_check"
bibs=$(sql 'SELECT count(*) FROM bib')
rd=$(sql 'SELECT records_done FROM import_run')
[ "$bibs" -gt 0 ] && [ "$bibs" -lt $n ]; ok $? "the import was interrupted mid-way ($bibs of $n)"
is "$bibs" "$rd" "the run row counts exactly the bibs stored"
is "$((bibs % 500))" 0 "whole batches only"
out=$(c import --batch 500 "$tmp/big.mrk" 2>"$tmp/err"); ok $? "the same import again resumes"
like "$out" "records $n, bibs $((n - bibs)), holdings 0, items 0, skipped 0, invalid 0, resumed $bibs" "it imports the rest"
like "$(cat "$tmp/err")" "resumed an interrupted import" "and says it resumed"
is "$(sql 'SELECT count(*) FROM bib')" $n "every record is there"
is "$(sql "SELECT count(DISTINCT key) || ' ' || count(*) FROM ident WHERE key LIKE 'c:big%'")" "$n $n" "exactly once"
is "$(sql 'SELECT finished FROM import_run')" 1 "the run is finished"
is "$(sql 'PRAGMA integrity_check')" ok "integrity_check passes"

done_testing
