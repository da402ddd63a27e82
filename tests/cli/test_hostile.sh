#!/bin/sh
# test_hostile.sh - hostile input through the real binary (SPEC §8: inputs
# are bound parameters, never SQL text; every bad input gets a clear error
# and leaves the repository as it was).
#   1. SQL and FTS5 syntax through every search index and through every
#      argument that reaches SQL (user, set, rule, target, reminder type
#      names, note and reminder text, config keys): taken literally or
#      refused with exit 1, never a database error (exit 4), the tables
#      all still there afterwards;
#   2. file arguments: a directory, a missing folder, a path through
#      "..", --repo naming a file or a folder without a repository, an
#      output path that is a symlink: clear errors, nothing written where
#      it should not be;
#   3. huge records and fields (a 9,999-byte field, 10,000 fields, a 1 MB
#      .mrk line, a record just under ISO 2709's 99,999 bytes) through
#      import, edit --file, show, search and export.
# Usage: test_hostile.sh COLOPHON_BINARY
set -u
bin=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export COLOPHON_REPO="$tmp/repo"
unset COLUMNS
c() { "$bin" "$@"; }
. "$(dirname "$0")/fingerprint.sh" # fp
if ! command -v sqlite3 >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    echo "1..0 # SKIP needs sqlite3 and python3"
    exit 0
fi
c init --institution 1234 >/dev/null; ok $? "init"
zcat /usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz >"$tmp/loc.mrc"
c import -q "$tmp/loc.mrc" 2>/dev/null; ok $? "the LoC sample imported"
total=$(c search --count 'NOT zzzzqqq')
is "$total" 24 "24 records"
m1=991000000011234

# --- 1. SQL and FTS5 syntax through every index ---
n_bad=0
for idx in "" title= author= subject= keyword= isbn= issn= oclc= mms= barcode= linked=; do
    for v in "x'; DROP TABLE bib; --" "\"x'); DELETE FROM version; --\"" "%" "_" "%_%" \
        "NEAR(a b)" "a*" "*" "^a" "title:a" "{title author}: a" "\"unclosed" "a\"b" \
        "' OR '1'='1" "1 OR 1=1" "a) OR (b" "\\" "-a" "+a" "x;y"; do
        out=$(c search -- "$idx$v" 2>&1)
        rc=$?
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
            n_bad=$((n_bad + 1))
            echo "# search '$idx$v': exit $rc: $out"
        elif [ "$rc" -eq 1 ] && ! printf '%s\n' "$out" | grep -q 'column [0-9]'; then
            n_bad=$((n_bad + 1))
            echo "# search '$idx$v': refused without a column: $out"
        fi
    done
done
is "$n_bad" 0 "231 hostile searches over 11 indexes: each runs or is refused with a column (exit 0/1, never 4)"
is "$(c search --count 'NOT zzzzqqq')" "$total" "... and every record is still found"
out=$(c search "title=\"x'; DROP TABLE bib; --\"" 2>&1); is $? 0 "a quoted injection is searched as words"
is "$(c search --count "'; DROP TABLE bib; --")" 0 "... and finds nothing"

# --- 1b. every argument that reaches SQL ---
before=$(fp)
evil="x'); DROP TABLE user; --"
out=$(c user add "$evil" --role cataloger 2>&1); rc=$?
ok $([ "$rc" -le 1 ] && echo 0 || echo 1) "user add with SQL in the name: exit $rc (taken literally or refused)"
[ "$rc" -eq 0 ] && { c user list | grep -qF "$evil"; ok $? "... listed literally"; }
c user revoke "$evil" --role cataloger >/dev/null 2>&1
out=$(c --user "$evil" note add $m1 "x" 2>&1); is $? 1 "--user with SQL in the name: refused as a user without roles"
out=$(c set create "$evil" --query computer 2>&1); is $? 0 "set create: SQL in the name is a name"
c set show "$evil" >/dev/null; ok $? "... shown by that name"
c set delete "$evil" >/dev/null; ok $? "... and deleted by it"
out=$(c set create s1 --query "computer'; DROP TABLE record_set; --" 2>&1); rc=$?
ok $([ "$rc" -le 1 ] && echo 0 || echo 1) "set create: SQL in the query (exit $rc)"
out=$(c note add $m1 "$evil" 2>&1); is $? 0 "note add: SQL in the text is text"
like "$(c note list $m1)" "DROP TABLE user" "... listed as written"
printf 'a\000b\n' | c note add $m1 - >"$tmp/out" 2>&1; is $? 1 "note add: a NUL byte (standard input) is refused"
like "$(cat "$tmp/out")" "control|NUL|0x00" "... saying why"
out=$(c reminder add $m1 --text "$evil" --type "$evil" 2>&1); is $? 1 "reminder add: an unknown type (SQL) is refused"
out=$(c reminder types add "$evil" "desc" 2>&1); rc=$?
ok $([ "$rc" -le 1 ] && echo 0 || echo 1) "reminder types add: SQL in the code (exit $rc)"
printf 'rule "x%s" when (TRUE) then addField "910.a.%s" end\n' "'; DROP TABLE rule; --" "'); --" >"$tmp/evil.rule"
out=$(c rule add "$evil" --file "$tmp/evil.rule" 2>&1); is $? 0 "rule add: SQL in the name and the text"
like "$(c rule show "$evil")" "DROP TABLE rule" "... shown as written"
c rule delete "$evil" >/dev/null; ok $? "... deleted by name"
out=$(c external add "$evil" "localhost:9999/db" 2>&1); rc=$?
ok $([ "$rc" -le 1 ] && echo 0 || echo 1) "external add: SQL in the target name (exit $rc)"
c external remove "$evil" >/dev/null 2>&1
out=$(c config set "lock.timeout'; --" 5m 2>&1); is $? 1 "config set: an unknown key (SQL) is refused"
out=$(c config set lock.timeout "5m'; DROP TABLE config; --" 2>&1); is $? 1 "config set: a bad value (SQL) is refused"
out=$(c show "$m1' OR '1'='1" 2>&1); is $? 1 "show: an MMS ID with SQL is refused"
out=$(c versions "$m1; DROP TABLE version" 2>&1); is $? 1 "versions: likewise"
for t in bib version user record_set rule config note reminder; do
    sqlite3 "$COLOPHON_REPO/iz.db" "SELECT count(*) FROM $t" >/dev/null 2>&1 || echo "# table $t is gone"
done
ok $? "every table is still there"
is "$(c search --count 'NOT zzzzqqq')" "$total" "... and every record"

# --- 2. file arguments ---
before=$(fp)
out=$(c import "$tmp" 2>&1); is $? 4 "import of a directory: exit 4"
like "$out" "not a regular file" "... saying so"
out=$(c import "$tmp/no/such/file.mrc" 2>&1); is $? 4 "import of a missing file: exit 4"
like "$out" "No such file" "... saying so"
mkfifo "$tmp/fifo" 2>/dev/null && { out=$(c import "$tmp/fifo" 2>&1); is $? 4 "import of a FIFO: refused, not blocked"; }
is "$(fp)" "$before" "the repository is as before"
out=$(c export $m1 "$tmp/no/such/dir/out.mrc" 2>&1); is $? 4 "export into a missing folder: exit 4"
like "$out" "cannot create" "... saying so"
mkdir -p "$tmp/a/b"
(cd "$tmp/a/b" && c export $m1 ../../up.mrc >/dev/null 2>&1); ok $? "export through '..' writes where the path says"
ok $([ -s "$tmp/up.mrc" ] && echo 0 || echo 1) "... ($tmp/up.mrc)"
out=$(c export $m1 "$tmp" 2>&1); ok $([ $? -ne 0 ] && echo 0 || echo 1) "export onto a directory is refused"
echo "keep me" >"$tmp/target.txt"
ln -s "$tmp/target.txt" "$tmp/link.mrc"
c export $m1 "$tmp/link.mrc" >/dev/null 2>&1
is "$(cat "$tmp/target.txt")" "keep me" "export to a symlink replaces the link, never writes through it"
echo "not a repository" >"$tmp/afile"
out=$(c --repo "$tmp/afile" search computer 2>&1); is $? 1 "--repo naming a file: exit 1"
like "$out" "no Colophon repository in $tmp/afile" "... saying so"
is "$(cat "$tmp/afile")" "not a repository" "... and the file is untouched"
mkdir "$tmp/empty"
out=$(c --repo "$tmp/empty" search computer 2>&1); is $? 1 "--repo naming a folder without a repository: exit 1"
is "$(ls -A "$tmp/empty" | wc -l)" 0 "... nothing created in it"
mkdir "$tmp/fake"
ln -s "$tmp/afile" "$tmp/fake/iz.db"
out=$(c --repo "$tmp/fake" search computer 2>&1); rc=$?
ok $([ "$rc" -eq 1 ] || [ "$rc" -eq 4 ] && echo 0 || echo 1) "--repo whose iz.db is a symlink to a text file: refused (exit $rc)"
is "$(cat "$tmp/afile")" "not a repository" "... the file it points to is untouched"
out=$(c rule add r --file "$tmp" 2>&1); ok $([ $? -ne 0 ] && echo 0 || echo 1) "rule add --file a directory: refused"
like "$out" "Is a directory|not a regular file" "... saying so"
out=$(c set create s2 --ids "$tmp/no/such" 2>&1); ok $([ $? -ne 0 ] && echo 0 || echo 1) "set create --ids a missing file: refused"

# --- 3. huge records and fields ---
python3 - "$tmp" <<'EOF'
import sys
d = sys.argv[1]
base = ["=008  200101s2020    xxu           000 0 eng d"]
def mrk(title, fields):
    return ("=LDR  00000nam a2200000 a 4500\n" + "\n".join(base + ["=245  10$a" + title] + fields)
            + "\n\n")
open(d + "/f9999.mrk", "w").write(mrk("Field of 9999 zqfield", ["=500  \\\\$a" + "x" * 9995 + " zqend"]))
open(d + "/many.mrk", "w").write(mrk("Ten thousand fields zqmany",
                                      ["=500  \\\\$anote %05d" % i for i in range(10000)]))
open(d + "/line.mrk", "w").write(mrk("A megabyte line zqline", ["=500  \\\\$a" + "y" * 1000000 + " zqtail"]))
# just under ISO 2709's limit: 99,999 bytes in all
body = mrk("Near the limit zqlimit", ["=500  \\\\$a" + "z" * 9000] * 10)
open(d + "/limit.mrk", "w").write(body)
EOF
for f in f9999 many line limit; do
    c import -q "$tmp/$f.mrk" >/dev/null 2>&1; ok $? "import: $f.mrk"
done
mf=$(c search zqfield | awk '{print $1}'); like "$mf" '^99' "a word after a 9,999-byte field is found"
mm=$(c search zqmany | awk '{print $1}'); like "$mm" '^99' "the 10,000-field record is found"
ml=$(c search zqtail | awk '{print $1}'); like "$ml" '^99' "a word after a 1 MB value is found"
is "$(c show --format mrk "$mm" | grep -c '^=500')" 10000 "show: all 10,000 fields"
like "$(c show --format mrk "$ml" | grep '^=500' | wc -c)" '^10000[0-9][0-9]$' "show: the 1 MB field whole"
like "$(c show --format mrk "$ml" | grep '^=500')" ' zqtail$' "... to its last word"
c show --format mrk "$ml" | sed 's/ zqtail$/ zqedited/' >"$tmp/line-edited.mrk"
c edit --file "$tmp/line-edited.mrk" "$ml" >/dev/null 2>&1; ok $? "edit --file: the 1 MB record saved"
is "$(c search --count zqedited)" 1 "... and its new word found"
c show --format mrk "$mm" | sed 's/^=500  \\\\\$anote 09999$/=500  \\\\$anote edited/' >"$tmp/many-edited.mrk"
c edit --file "$tmp/many-edited.mrk" "$mm" >/dev/null 2>&1; ok $? "edit --file: the 10,000-field record saved"
out=$(c export "$ml" "$tmp/line.mrc" 2>&1); is $? 1 "export as ISO 2709 of a 1 MB record: refused (exit 1)"
like "$out" "allows at most 9999 per field" "... naming the limit"
ok $([ -e "$tmp/line.mrc" ] && echo 1 || echo 0) "... and no partial file"
c export "$ml" "$tmp/line.xml" >/dev/null 2>&1; ok $? "... MARCXML carries it"
ml2=$(c search zqlimit | awk '{print $1}')
c export "$ml2" "$tmp/limit.mrc" >/dev/null 2>&1; ok $? "a record near the limit exports as ISO 2709"
sz=$(wc -c <"$tmp/limit.mrc"); ok $([ "$sz" -gt 90000 ] && [ "$sz" -le 99999 ] && echo 0 || echo 1) "... $sz bytes"
c import -q "$tmp/limit.mrc" >/dev/null 2>&1; ok $? "... and imports again"
python3 -c "
import sys
sys.stdout.write('=LDR  00000nam a2200000 a 4500\n=245  10\$a' + 'w' * 20000000 + '\n\n')" >"$tmp/huge.mrk"
out=$(c import -q "$tmp/huge.mrk" 2>&1); rc=$?
ok $([ "$rc" -le 1 ] && echo 0 || echo 1) "a 20 MB field: imported or refused cleanly (exit $rc)"
done_testing
