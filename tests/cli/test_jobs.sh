#!/bin/sh
# test_jobs.sh - sets, rules and jobs end to end through the real binary, on
# the LoC sample records: `colophon set` (from a query, itemized and
# logical, from a list; show, delete), `colophon rule` (add with parse
# errors naming line and column, the admin role, list with the built-in
# rules, show, test of each kind, run on a set, delete), `colophon job`
# (kinds, run with its report, a record that fails, list, show --records,
# refusals), and a job killed with kill -9 and resumed: no record done
# twice, none lost.
# Usage: test_jobs.sh COLOPHON_BINARY
set -u
bin=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset COLUMNS
loc=/usr/share/doc/idzebra-2.0/examples
repo=$tmp/repo
c() { "$bin" --repo "$repo" "$@"; }
as() { u=$1; shift; "$bin" --repo "$repo" --user "$u" "$@"; }
bibid() { printf '99%09d1234' $((100000000 + $1)); }
info() { c show --info "$1" | sed -n "s/^$2: *//p"; }
have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
db() { sqlite3 -cmd '.timeout 5000' "$repo/iz.db" "$@"; }

# --- usage ---
for v in set job rule; do
    o=$($bin $v --help); ok $? "$v --help exits 0"
    like "$o" "Usage: colophon $v " "$v --help shows the usage"
    $bin $v >/dev/null 2>&1; is $? 2 "$v without an action is a usage error"
    $bin $v frobnicate >/dev/null 2>&1; is $? 2 "$v with an unknown action"
done
$bin set create s >/dev/null 2>&1; is $? 2 "set create needs --query or --ids"
$bin set create s --query a --ids f >/dev/null 2>&1; is $? 2 "not both"
$bin set list --members >/dev/null 2>&1; is $? 2 "--members goes with show"
$bin job run normalize >/dev/null 2>&1; is $? 2 "job run needs --set"
$bin job show x >/dev/null 2>&1; is $? 2 "a job ID is a number"
$bin rule add r >/dev/null 2>&1; is $? 2 "rule add needs --file"
$bin rule test r >/dev/null 2>&1; is $? 2 "rule test needs NAME MMSID"
$bin rule test r 1 --with a --from b >/dev/null 2>&1; is $? 2 "--with and --from exclude each other"

c init --institution 1234 >/dev/null; ok $? "init"
c user add bob --role cataloger >/dev/null && c user add carol --role cataloger-extended >/dev/null
ok $? "users bob (cataloger), carol (cataloger-extended)"
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
c import "$tmp/loc.mrc" >/dev/null 2>&1; ok $? "import the LoC sample"

# --- sets ---
o=$(as bob set create computers --query 'title=computer*'); ok $? "set from a query"
like "$o" "Created set 'computers' with [0-9]+ record\(s\)\." "... with its count"
n=$(c search --count 'title=computer*')
like "$o" "with $n record" "as many as the search finds ($n)"
o=$(as bob set create computers --query 'title=x' 2>&1); is $? 1 "a name is taken once"
like "$o" "already exists" "... says so"
o=$(as bob set create bad --query 'title=(' 2>&1); is $? 1 "a malformed query"
like "$o" "column" "... names the column"
o=$(as bob set create live --query 'title=computer*' --logical); ok $? "a logical set"
printf '# two records\n%s\n\n%s  # and a comment\n' "$(bibid 7)" "$(bibid 14)" >"$tmp/ids"
o=$(as bob set create two --ids "$tmp/ids"); ok $? "a set from a list"
like "$o" "with 2 record" "two records"
printf '%s\n991999999991234\n' "$(bibid 1)" >"$tmp/badids"
o=$(as bob set create bad --ids "$tmp/badids" 2>&1); is $? 1 "an unknown MMS ID"
like "$o" "set member 2" "... is named by its line"
o=$(c set list); ok $? "set list"
like "$o" "^computers +$n records? +IZ" "the itemized set"
like "$o" "^live +logical +IZ .*query: title=computer\*" "the logical set"
o=$(c set show two --members); ok $? "set show --members"
like "$o" "Kind: +itemized" "its kind"
like "$o" "2  $(bibid 14)  " "its records in order"
o=$(c set show live --members); like "$o" "Records: +$n \(now\)" "a logical set runs its query"
o=$(c set show nosuch 2>&1); is $? 1 "no such set"

# --- rules ---
cat >"$tmp/bad.rule" <<'EOF'
rule "Broken"
when
(exists "245" AND)
then
addField "910.a.x"
end
EOF
o=$(c rule add Broken --file "$tmp/bad.rule" 2>&1); is $? 1 "a rule that does not parse"
like "$o" "bad.rule: line 3, column [0-9]+: " "the file, line and column are named"
is "$(c rule list | grep -c Broken)" 0 "nothing stored"
cat >"$tmp/checked.rule" <<'EOF'
rule "Checked"
when
(TRUE)
then
addField "910.a.checked"
end
EOF
o=$(as bob rule add Checked --file "$tmp/checked.rule" 2>&1); is $? 1 "rule add needs admin"
like "$o" "needs role admin" "... says so"
o=$(c rule add Checked --file "$tmp/checked.rule"); ok $? "rule add"
like "$o" "Stored normalization rule 'Checked' \(1 rule\)" "kind and count"
printf 'rule "Serials" when (exists "LDR.{7,1}.s") then set indication."true" end\n' |
    c rule add Serials --file - >/dev/null
ok $? "an indication rule from standard input"
o=$(c rule list); ok $? "rule list"
like "$o" "^Checked +normalization " "a stored rule"
like "$o" "^Colophon default merge +merge +built in \(in force" "the built-in merge rule"
like "$o" "^Colophon serial no-overlay +normalization +built in" "the built-in normalization rule"
is "$(c rule show Checked)" "$(cat "$tmp/checked.rule")" "rule show prints the text"
like "$(c rule show 'Colophon serial no-overlay')" 'exists "LDR.\{7,1\}.s"' "a built-in rule shows"
M=$(bibid 7) S=$(bibid 14)
o=$(as bob rule test Checked "$M"); ok $? "rule test of a normalization rule"
like "$o" '^\+ 910 ## \$\$a checked$' "the diff shows the field added"
like "$o" "1 field\(s\) added, 0 removed, 0 changed" "... and counts"
is "$(info "$M" Version)" "1 (import)" "nothing saved by a test"
is "$(c rule test Serials "$S")" "true" "an indication rule: true"
is "$(c rule test Serials "$M")" "false" "... false"
c rule add "Keep subjects" --file - >/dev/null <<'EOF'
rule "Keep subjects"
when merge
then
replace MARC."LDR"
remove MARC."2"XX
add MARC."2"XX
end
EOF
o=$(c rule test "Keep subjects" "$M" 2>&1); is $? 1 "a merge rule needs a second record"
like "$o" "test it with a second record \(--with MMSID or --from FILE\)" "... says how"
o=$(c rule test "Keep subjects" "$M" --with "$(bibid 6)"); ok $? "rule test --with"
like "$o" "Rule Keep subjects \(merge\) on $M with $(bibid 6)" "both records named"
like "$o" '^~ 245 ' "the title comes from the other record"
like "$o" "^= 001    $M" "001 stays"

# --- jobs ---
o=$(c job kinds); ok $? "job kinds"
for k in normalize delete export add-reminders link-to-nz; do
    like "$o" "^$k " "kind $k"
done
o=$(as bob job run frobnicate --set two 2>&1); is $? 1 "an unknown kind"
like "$o" "no job kind 'frobnicate'" "... named"
o=$(as bob job run normalize --set nosuch rule=Checked 2>&1); is $? 1 "an unknown set"
o=$(as bob job run normalize --set two 2>&1); is $? 1 "a missing parameter"
like "$o" "needs rule=NAME" "... named"
o=$(as bob job run normalize --set two notaparam 2>&1); is $? 1 "a malformed parameter"
o=$(as bob job run delete --set two 2>&1); is $? 1 "the delete job needs cataloger-extended"
like "$o" "cataloger-extended" "... named"
o=$(as bob job run normalize --set two rule=Checked); ok $? "job run"
like "$o" "^Job 1: normalize on set 'two'" "the job and its set"
like "$o" "state: +done \(2 of 2 records done\)" "done"
like "$o" "^  changed +2$" "the count per outcome"
is "$(info "$M" Version)" "2 (rule)" "the record was saved with reason rule"
if [ $have_sqlite = 1 ]; then
    db "INSERT INTO lock (mms, user, since, seen, version) VALUES ('$M', 'carol', strftime('%s','now'), strftime('%s','now'), 2)"
    o=$(as bob job run normalize --set two rule=Checked 2>&1); is $? 1 "a record that fails: exit 1"
    like "$o" "^  changed +1$" "the other record changed"
    like "$o" "^  failed +1$" "one failed"
    like "$o" "1 record\(s\) failed: 'colophon job show 2 --records failed'" "how to see which"
    o=$(c job show 2 --records failed); ok $? "job show --records OUTCOME"
    like "$o" "1  $M  failed .*locked by carol" "the record and the reason"
    ok $(printf '%s\n' "$o" | grep -q "$S" && echo 1 || echo 0) "only the failed records"
    is "$(info "$M" Version)" "2 (rule)" "the failed record is untouched"
    db "DELETE FROM lock"
fi
o=$(c job list); ok $? "job list"
like "$o" "^ +1  normalize +two +done +2/2 " "job 1 listed"
o=$(c job show 1 --records); ok $? "job show --records"
like "$o" "parameters: rule=Checked" "its parameters"
like "$o" "1  $M  changed +1 change\(s\)" "each record's outcome and detail"
o=$(c job show 99 2>&1); is $? 1 "no such job"
o=$(c job resume 1 2>&1); is $? 1 "a complete job is not resumed"
like "$o" "job 1 is complete" "... says so"

# --- rule run ---
o=$(as bob rule run Serials --set computers 2>&1); is $? 2 "an indication rule needs --into"
c set create all --query 'linked!=network' >/dev/null
o=$(as bob rule run Serials --set all --into serials); ok $? "rule run of an indication rule"
like "$o" "Rule Serials is true of 3 of the 24 record\(s\) of set 'all': they are set 'serials'" "the filter"
o=$(c set show serials --members)
like "$o" "  $S  " "the serial is in the new set"
ok $(printf '%s\n' "$o" | grep -q "  $M  " && echo 1 || echo 0) "the monograph is not"
o=$(as bob rule run "Keep subjects" --set all 2>&1); is $? 1 "a merge rule does not run on a set"
o=$(as bob rule run Checked --set serials); ok $? "rule run of a normalization rule: a job"
like "$o" "Job [0-9]+: normalize with rule Checked on set 'serials'" "the job"
like "$o" "changed +3" "three changed"
o=$(as bob rule delete Checked 2>&1); is $? 1 "rule delete needs admin"
o=$(c rule delete Checked); ok $? "rule delete"
o=$(c rule show Checked 2>&1); is $? 1 "gone"
o=$(c set delete two); ok $? "set delete"
o=$(c job show 1); like "$o" "on set '\(deleted\)'" "the job keeps its report"

# --- kill -9 during a job, then resume ---
# 2,400 records (the sample 100 times); the rule adds a 910 every time it
# runs, so a record done twice would have two 910s and two new versions.
for i in $(seq 1 100); do cat "$tmp/loc.mrc"; done >"$tmp/big.mrc"
c import -q --again "$tmp/big.mrc" 2>/dev/null
c rule add Checked --file "$tmp/checked.rule" >/dev/null
# the records of this import only (bibs 25 on): none was changed before
n=25
while [ $n -le 2424 ]; do bibid $n; echo; n=$((n + 1)); done >"$tmp/big.ids"
c set create big --ids "$tmp/big.ids" >/dev/null
total=$(c set show big | sed -n 's/^Records: *//p')
ok $([ "$total" -gt 2000 ] && echo 0 || echo 1) "a set of $total records"
if [ $have_sqlite = 1 ]; then
    "$bin" --repo "$repo" --user bob job run normalize --set big rule=Checked >/dev/null 2>&1 &
    pid=$!
    id=""
    i=0
    while [ $i -lt 400 ]; do
        d=$(db "SELECT done FROM job WHERE id = (SELECT max(id) FROM job) AND kind = 'normalize' AND total = $total" 2>/dev/null)
        [ -n "$d" ] && [ "$d" -ge 20 ] && break
        sleep 0.05
        i=$((i + 1))
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    id=$(db "SELECT max(id) FROM job")
    done1=$(db "SELECT done FROM job WHERE id = $id")
    ok $([ "$done1" -gt 0 ] && [ "$done1" -lt "$total" ] && echo 0 || echo 1) "killed in the middle ($done1 of $total done)"
    o=$(c job show "$id"); like "$o" "state: +interrupted" "the job reads as interrupted"
    like "$o" "job resume $id" "... and says how to go on"
    is "$(db "SELECT count(*) FROM job_result WHERE job = $id AND outcome != ''")" "$done1" "each record done has its result"
    o=$(as bob job resume "$id" 2>&1); st=$?
    ok $([ $st -eq 0 ] || [ $st -eq 1 ] && echo 0 || echo 1) "job resume completes the job"
    like "$o" "Resumed job $id: $done1 record\(s\) had been done" "what the resume did"
    like "$(c job show "$id")" "state: +done \($total of $total records done\)" "all records done"
    is "$(db "SELECT count(*) FROM job_result WHERE job = $id AND outcome = ''")" 0 "none lost: no record without a result"
    changed=$(db "SELECT count(*) FROM job_result WHERE job = $id AND outcome = 'changed'")
    failed=$(db "SELECT count(*) FROM job_result WHERE job = $id AND outcome = 'failed'")
    is $((changed + failed)) "$total" "every record changed or failed"
    # records of the set: one rule version each when changed, none when failed
    twice=$(db "SELECT count(*) FROM job_result r JOIN bib b ON b.mms = r.mms WHERE r.job = $id AND (SELECT count(*) FROM version v WHERE v.mms = b.mms AND v.reason = 'rule') + (b.reason = 'rule') > 1")
    is "$twice" 0 "no record done twice"
    saved=$(db "SELECT count(*) FROM job_result r JOIN bib b ON b.mms = r.mms WHERE r.job = $id AND b.reason = 'rule'")
    is "$saved" "$changed" "every changed record saved once, with its result"
    is "$(db "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'")" 0 "the file is sound"
else
    ok 0 "# skip sqlite3 not installed: kill -9 and resume"
fi

done_testing
