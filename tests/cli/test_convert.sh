#!/bin/sh
# test_convert.sh - `colophon convert` and `colophon lint` end to end, on the
# project's own records and the Debian LoC sample, through the real binary.
# Usage: test_convert.sh COLOPHON_BINARY TEST_DATA_DIR
set -u
bin=$1
data=$2
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
loc=/usr/share/doc/idzebra-2.0/examples

# --- global behaviour ---
out=$($bin --version); ok $? "--version exits 0"
like "$out" '^colophon [0-9]+\.[0-9]+' "--version prints the version"
$bin --help >/dev/null; ok $? "--help exits 0"
for v in convert lint; do
    o=$($bin $v --help); ok $? "$v --help exits 0"
    like "$o" "Usage: colophon $v" "$v --help shows its usage"
done
$bin frobnicate >/dev/null 2>&1; is $? 2 "unknown verb exits 2"
$bin convert --bogus a b >/dev/null 2>&1; is $? 2 "unknown option exits 2"
$bin convert "$data/records.mrk" >/dev/null 2>&1; is $? 2 "missing OUT exits 2"
$bin convert "$data/records.mrk" "$tmp/out.unknown" >/dev/null 2>&1; is $? 2 "unknown output extension exits 2"
err=$($bin convert "$tmp/does-not-exist.mrc" "$tmp/x.xml" 2>&1); is $? 4 "missing input exits 4"
like "$err" "does-not-exist.mrc" "missing input is named"

# --- round trips through every format ---
$bin convert "$data/records.mrk" "$tmp/a.mrc"; ok $? "mrk -> iso2709"
$bin convert "$tmp/a.mrc" "$tmp/a.xml"; ok $? "iso2709 -> marcxml"
$bin convert "$tmp/a.xml" "$tmp/a.json"; ok $? "marcxml -> json"
$bin convert "$tmp/a.json" "$tmp/b.mrk"; ok $? "json -> mrk"
$bin convert "$tmp/b.mrk" "$tmp/b.mrc"; ok $? "mrk -> iso2709 again"
cmp -s "$tmp/a.mrc" "$tmp/b.mrc"; ok $? "iso2709 bytes identical after mrk->xml->json->mrk"
is "$(grep -c '<record>' "$tmp/a.xml")" 3 "three records in the MARCXML"
$bin convert "$tmp/a.xml" "$tmp/c.mrc" && cmp -s "$tmp/a.mrc" "$tmp/c.mrc"; ok $? "marcxml -> iso2709 identical"
$bin convert "$tmp/a.json" "$tmp/d.mrc" && cmp -s "$tmp/a.mrc" "$tmp/d.mrc"; ok $? "json -> iso2709 identical"
$bin convert "$tmp/a.mrc" "$tmp/e.mrk" && $bin convert "$tmp/e.mrk" "$tmp/e.mrc" && cmp -s "$tmp/a.mrc" "$tmp/e.mrc"
ok $? "iso2709 -> mrk -> iso2709 identical"
grep -q 'Dvořák' "$tmp/a.xml"; ok $? "UTF-8 text kept in MARCXML"
grep -q '{dollar}5 edition' "$tmp/b.mrk"; ok $? "a literal dollar is written as {dollar}"

# --- standard input and output, explicit formats ---
$bin convert --to marcxml - - <"$tmp/a.mrc" >"$tmp/stdout.xml"; ok $? "stdin -> stdout"
cmp -s "$tmp/a.xml" "$tmp/stdout.xml"; ok $? "stdout output equals file output"
$bin convert --from iso2709 --to json "$tmp/a.mrc" "$tmp/explicit.out"; ok $? "--from/--to override extensions"
head -c 1 "$tmp/explicit.out" | grep -q '\['; ok $? "--to json wrote JSON"

# --- MARC-8: the LoC sample ---
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
$bin convert --to-charset utf8 "$tmp/loc.mrc" "$tmp/loc-utf8.mrc"; ok $? "LoC MARC-8 -> UTF-8"
is "$(tr -cd '\035' <"$tmp/loc-utf8.mrc" | wc -c)" 24 "all 24 LoC records converted"
$bin convert --to-charset marc8 "$tmp/loc-utf8.mrc" "$tmp/loc-back.mrc"; ok $? "UTF-8 -> MARC-8"
$bin convert --to-charset utf8 "$tmp/loc-back.mrc" "$tmp/loc-again.mrc" && cmp -s "$tmp/loc-utf8.mrc" "$tmp/loc-again.mrc"
ok $? "MARC-8 -> UTF-8 -> MARC-8 -> UTF-8 is stable"
$bin convert "$tmp/loc.mrc" "$tmp/loc.xml"; ok $? "MARC-8 records become UTF-8 in MARCXML"
grep -q 'encoding="UTF-8"' "$tmp/loc.xml" && ! grep -q '<leader>.........[^a]' "$tmp/loc.xml"
ok $? "MARCXML leaders say UTF-8 (leader/09 a)"
$bin convert --to-charset marc8 "$tmp/a.mrc" "$tmp/x.xml" >/dev/null 2>&1; is $? 2 "MARC-8 MARCXML is refused as usage"

# --- malformed input: strict fails, writes nothing; permissive skips ---
head -c $(( $(wc -c <"$tmp/a.mrc") - 100 )) "$tmp/a.mrc" >"$tmp/trunc.mrc"
echo "precious" >"$tmp/keep.xml"
err=$($bin convert "$tmp/trunc.mrc" "$tmp/keep.xml" 2>&1); is $? 1 "truncated input exits 1"
like "$err" 'record 3 \(byte [0-9]+\).*(truncated|ends)' "error names record 3 and its byte offset"
is "$(cat "$tmp/keep.xml")" "precious" "existing output file untouched after a failure"
$bin convert "$tmp/trunc.mrc" "$tmp/new.xml" >/dev/null 2>&1
[ ! -e "$tmp/new.xml" ]; ok $? "no partial output file after a failure"
ls "$tmp" | grep -q partial; is $? 1 "no temporary file left behind"
$bin convert --to mrk "$tmp/trunc.mrc" - >"$tmp/stdout.mrk" 2>/dev/null; is $? 1 "strict failure to stdout exits 1"
is "$(wc -c <"$tmp/stdout.mrk" | tr -d ' ')" 0 "nothing written to stdout on failure"
err=$($bin convert --permissive "$tmp/trunc.mrc" "$tmp/perm.xml" 2>&1); ok $? "--permissive succeeds"
is "$(grep -c '<record>' "$tmp/perm.xml")" 2 "--permissive kept the two good records"
like "$err" '1 malformed record\(s\) skipped' "--permissive reports the skipped count"

# Junk between records and a bad directory in the middle record.
python3 - "$tmp/a.mrc" "$tmp/pad.mrc" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
first = int(d[0:5])
open(sys.argv[2], 'wb').write(d[:first] + b'\n\x1a' + d[first:] + b'\r\n')
PY
$bin convert "$tmp/pad.mrc" "$tmp/pad.xml"; ok $? "newline and Ctrl-Z padding between records is not an error"
is "$(grep -c '<record>' "$tmp/pad.xml")" 3 "all records read around the padding"
python3 - "$tmp/a.mrc" "$tmp/baddir.mrc" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
first = int(d[0:5])
d[first + 24 + 3:first + 24 + 7] = b'9999'   # second record: first entry's length
open(sys.argv[2], 'wb').write(d)
PY
err=$($bin convert "$tmp/baddir.mrc" "$tmp/bd.mrk" 2>&1); is $? 1 "bad directory exits 1"
like "$err" 'record 2 \(byte [0-9]+\): 001\[1\]: error' "bad directory error names record 2 and field 001"

# --- records too big for ISO 2709 ---
python3 - "$tmp/big.mrk" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('=LDR  00000nam a2200000 i 4500\n=001  big1\n=245  00$aBig.\n')
    for i in range(12):
        f.write('=500  \\\\$a' + 'x' * 9000 + '\n')
    f.write('\n=LDR  00000nam a2200000 i 4500\n=001  small1\n=245  00$aSmall.\n\n')
PY
err=$($bin convert "$tmp/big.mrk" "$tmp/big.mrc" 2>&1); is $? 1 "record over 99,999 bytes refused for ISO 2709"
like "$err" 'record 1.*99999|99,999' "the message names the record and the limit"
$bin convert "$tmp/big.mrk" "$tmp/big.xml"; ok $? "the same record converts to MARCXML"
$bin convert --permissive "$tmp/big.mrk" "$tmp/big2.mrc" 2>/dev/null; ok $? "--permissive skips it"
is "$(tr -cd '\035' <"$tmp/big2.mrc" | wc -c)" 1 "and keeps the other record"

# --- lint ---
$bin lint "$tmp/a.mrc" >"$tmp/lint.out" 2>&1; is $? 0 "lint of valid records exits 0"
err=$($bin lint "$tmp/baddir.mrc" 2>&1); is $? 1 "lint exits 1 on errors"
like "$err" 'baddir.mrc: record 2 \(byte [0-9]+\)' "lint names file, record and byte"
printf '=LDR  00000nam a2200000 i 4500\n=001  x1\n=008  too short\n=100  1\\$aSomeone.\n\n' >"$tmp/no245.mrk"
err=$($bin lint "$tmp/no245.mrk" 2>&1); is $? 1 "missing 245 is an error"
like "$err" 'no245.mrk: record 1 \(line 1\).*245' "missing 245 names the record"
like "$err" '008.*40' "short 008 reported"
printf '=LDR  00000nam a2200000 i 4500\n=001  x1\n=008  %s\n=245  10$aTitle.\n=246  3\\$aOther\n=999  \\\\$aLocal\n=245  10$aSecond title.\n\n' \
    '850101s1985    fr            000 1 fre d' >"$tmp/warn.mrk"
err=$($bin lint "$tmp/warn.mrk" 2>&1); is $? 0 "warnings alone exit 0"
like "$err" '245\[2\]: warning' "repeated non-repeatable 245 is a warning with its occurrence"
err=$($bin lint --errors-only "$tmp/warn.mrk" 2>&1); is "$err" "" "--errors-only hides warnings"

done_testing
