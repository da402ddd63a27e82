#!/bin/sh
# test_lifecycle.sh - the record lifecycle through the real `colophon` binary
# on real SQLite files: init, users and roles, config, show in every format,
# edit in a scripted $EDITOR (valid, invalid then fixed, unchanged, given up),
# edit --file, View Only and release, version conflicts, versions, diff,
# revert, delete with its refusals.
# Usage: test_lifecycle.sh COLOPHON_BINARY
set -u
bin=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
export TMPDIR=$tmp
unset VISUAL EDITOR COLOPHON_REPO

as() { # USER VERB ARGS...
    u=$1
    shift
    "$bin" --repo "$repo" --user "$u" "$@"
}

# --- every verb has --help ---
for v in init show edit versions revert delete release user config; do
    o=$("$bin" $v --help); ok $? "$v --help exits 0"
    like "$o" "Usage: colophon $v" "$v --help shows its usage"
done

# --- init ---
out=$("$bin" --user alice init --institution 1234 "$repo" 2>&1); ok $? "init exits 0"
like "$out" "iz.db.*institution zone 1234" "init says it created the IZ file"
like "$out" "nz.db.*network zone 4801" "init says it created the NZ file"
like "$out" "admin: alice" "init names the first user as admin"
is "$(stat -c %a "$repo")" 2770 "repository directory is 2770 (group-writable, setgid)"
is "$(stat -c %a "$repo/iz.db")" 660 "iz.db is 0660"
is "$(stat -c %a "$repo/nz.db")" 660 "nz.db is 0660"
err=$("$bin" --user alice init --institution 1234 "$repo" 2>&1); is $? 1 "init on an existing repository exits 1"
like "$err" "already holds a Colophon repository" "... and says so"
err=$("$bin" init --institution 12x4 "$tmp/bad" 2>&1); is $? 1 "init with a bad code exits 1"
like "$err" "four digits" "... and says the code must be four digits"
"$bin" init "$tmp/bad" >/dev/null 2>&1; is $? 2 "init without --institution exits 2"
out=$("$bin" --user alice init --institution 5678 --nz "$repo/nz.db" "$tmp/second" 2>&1)
ok $? "init --nz attaches an existing network zone"
like "$out" "network zone: .*nz.db" "... and names it"
[ ! -e "$tmp/second/nz.db" ]; ok $? "... without creating an NZ file of its own"
out=$(COLOPHON_REPO="$tmp/envrepo" "$bin" --user alice init --institution 4321 2>&1)
ok $? "init without DIR uses \$COLOPHON_REPO"
[ -f "$tmp/envrepo/iz.db" ]; ok $? "... and created it there"
out=$(XDG_DATA_HOME="$tmp/xdg" "$bin" user list 2>&1); ok $? "the default repository is created on first use"
like "$out" "^$(id -un) +cataloger,cataloger-extended,inventory,admin" "... with the login name as its admin"

# --- users and roles ---
out=$(as alice user add bob --role cataloger 2>&1); ok $? "admin adds a cataloger"
like "$out" "roles now cataloger$" "... with the role asked"
as alice user add carol --role inventory,cataloger --email carol@example.org >/dev/null; ok $? "admin adds a user with two roles and an e-mail"
as alice user add dave --role inventory >/dev/null; ok $? "admin adds an inventory operator"
err=$(as bob user add eve --role cataloger 2>&1); is $? 1 "a cataloger cannot add users (exit 1)"
like "$err" "needs role admin" "... 'needs role admin'"
err=$(as bob user grant bob --role admin 2>&1); is $? 1 "a cataloger cannot grant roles"
like "$err" "needs role admin" "... 'needs role admin'"
err=$(as bob user revoke carol --role inventory 2>&1); is $? 1 "a cataloger cannot revoke roles"
like "$err" "needs role admin" "... 'needs role admin'"
as alice user add bob --role cataloger >/dev/null 2>&1; is $? 1 "adding an existing user exits 1"
as alice user grant nobody --role cataloger >/dev/null 2>&1; is $? 1 "granting to an unknown user exits 1"
as alice user add x --role librarian >/dev/null 2>&1; is $? 2 "an unknown role is a usage error"
as alice user add x >/dev/null 2>&1; is $? 2 "user add without --role is a usage error"
err=$(as alice user revoke alice --role admin 2>&1); is $? 1 "an admin cannot drop their own admin role"
out=$(as alice user revoke carol --role cataloger 2>&1); ok $? "admin revokes a role"
like "$out" "roles now inventory$" "... leaving the other"
as alice user grant carol --role cataloger >/dev/null; ok $? "admin grants it back"
list=$(as bob user list); ok $? "anyone may list users"
like "$list" "^alice +cataloger,cataloger-extended,inventory,admin" "list shows the admin's roles"
like "$list" "^carol +cataloger,inventory .*carol@example.org" "list shows roles and e-mail"
like "$list" "^dave +inventory " "list shows an inventory-only user"

# --- config ---
is "$(as bob config get lock.timeout)" "60m" "lock.timeout defaults to 60m"
err=$(as bob config set lock.timeout 30m 2>&1); is $? 1 "a cataloger cannot change the configuration"
like "$err" "needs role admin" "... 'needs role admin'"
err=$(as alice config set lock.timeout soon 2>&1); is $? 1 "a malformed duration is refused"
like "$err" "lock.timeout takes a duration" "... with what it takes"
err=$(as alice config set lock.timout 5m 2>&1); is $? 1 "an unknown key is refused"
like "$err" "unknown configuration key 'lock.timout'" "... and named"
as alice config set lock.timeout 90m >/dev/null; ok $? "admin sets lock.timeout"
is "$(as bob config get lock.timeout)" "90m" "config get reads it back"
like "$(as bob config list)" "^lock.timeout +90m " "config list shows the value"

# --- records to work on (import is the subject of its own test) ---
cat >"$tmp/records.mrk" <<'EOF'
=LDR  00000nam a2200000 a 4500
=001  rec-one
=003  XX-TEST
=008  240101s2024\\\\nyu\\\\\\\\\\\000\0\eng\d
=020  \\$a9780306406157
=100  1\$aDvořák, Antonín,$d1841-1904.
=245  10$aOld title of the first record /$cby Antonín Dvořák.
=260  \\$aNew York :$bTest Press,$c2024.
=300  \\$a123 p. ;$c24 cm.
=650  \0$aMusic$vScores.

=LDR  00000nam a2200000 a 4500
=001  rec-two
=008  240101s2024\\\\nyu\\\\\\\\\\\000\0\eng\d
=245  00$aSecond record, no holdings.
=500  \\$aA note.

=LDR  00000nx  a2200000 a 4500
=001  hold-one
=004  rec-one
=008  2401010u\\\\8\\\4001aueng0000000
=852  0\$bMAIN$cSTACKS$hML410.D99$iA5 2024
=876  \\$p3900001$3v.1$jin place
=876  \\$p3900002$3v.2$jmissing
EOF
as alice import -q "$tmp/records.mrk" >/dev/null 2>&1; ok $? "records imported"
b1=991000000011234
b2=991000000021234
h1=221000000011234

# --- show ---
text=$(as bob show $b1); ok $? "show exits 0"
like "$text" '^245 10 \$\$a Old title of the first record / \$\$c by Antonín Dvořák\.$' "text view: 245 10 \$\$a ... \$\$c ..."
like "$text" '^100 1# \$\$a Dvořák' "text view: blank indicator shown as #"
like "$text" "^001    $b1\$" "text view: 001 holds the MMS ID"
like "$text" '^LDR    .....nam a22' "text view: leader first"
mrk=$(as bob show --format mrk $b1); ok $? "show --format mrk"
like "$mrk" '^=245  10\$aOld title of the first record /\$cby Antonín Dvořák\.$' "mrk has the 245 line"
as bob show --format marcxml $b1 >"$tmp/b1.xml"; ok $? "show --format marcxml"
grep -q '<datafield tag="245" ind1="1" ind2="0">' "$tmp/b1.xml"; ok $? "MARCXML has the 245 datafield"
as bob show --format json $b1 >"$tmp/b1.json"; ok $? "show --format json"
grep -q '"245"' "$tmp/b1.json"; ok $? "JSON has the 245 field"
as bob show --format iso2709 $b1 >"$tmp/b1.mrc"; ok $? "show --format iso2709"
is "$(head -c 5 "$tmp/b1.mrc")" "$(printf '%05d' "$(wc -c <"$tmp/b1.mrc")")" "ISO 2709 record length matches its bytes"
"$bin" convert -q "$tmp/b1.mrc" "$tmp/b1-back.mrk" && is "$(cat "$tmp/b1-back.mrk")" "$mrk" "ISO 2709 output converts to the same .mrk"
"$bin" convert -q "$tmp/b1.xml" "$tmp/b1-xml.mrk" && is "$(cat "$tmp/b1-xml.mrk")" "$mrk" "MARCXML output converts to the same .mrk"
"$bin" convert -q "$tmp/b1.json" "$tmp/b1-json.mrk" && is "$(cat "$tmp/b1-json.mrk")" "$mrk" "JSON output converts to the same .mrk"
two=$(as bob show --format mrk $b1 $b2); ok $? "show of two records"
is "$(printf '%s\n' "$two" | grep -c '^=LDR')" 2 "... prints both"
as bob show --format pdf $b1 >/dev/null 2>&1; is $? 2 "an unknown format exits 2"
err=$(as bob show 991000000991234 2>&1); is $? 1 "an unknown MMS ID exits 1"
like "$err" "no record 991000000991234" "... and names it"
err=$(as bob show 12ab 2>&1); is $? 1 "a string that is no MMS ID exits 1"
info=$(as bob show --info $b1); ok $? "show --info"
like "$info" "^MMS ID: +$b1\$" "info: MMS ID"
like "$info" "^Zone: +IZ 1234\$" "info: zone and code"
like "$info" "^Version: +1 \(import\)\$" "info: version and why"
like "$info" "^Created: +[0-9-]+ [0-9:]+ by alice\$" "info: created by and when"
like "$info" "^Lock: +not locked\$" "info: not locked"
like "$info" "^Linked: +no" "info: not linked"
like "$info" "^Holdings: +1\$" "info: holdings count"
like "$info" "^Items: +2\$" "info: items count"
hold=$(as bob show --holdings $b1); ok $? "show --holdings"
like "$hold" "^  $h1  MAIN / STACKS  ML410.D99 A5 2024  2 item\(s\)\$" "holdings line: ID, library / location, call number, items"
like "$hold" "^      23[0-9]+1234  barcode 3900001  v.1  in place\$" "item line: ID, barcode, description, status"
like "$hold" "barcode 3900002  v.2  missing" "second item with its status"
like "$(as bob show --holdings $b2)" "has no holdings" "a bib without holdings says so"
like "$(as bob show --holdings $h1)" "^Items of holdings $h1 \(bib $b1\): 2" "show --holdings of a holdings record lists its items"
like "$(as bob show --holdings --format mrk $b1)" '^=852  0\\\$bMAIN' "--holdings with a record format prints the MFHD"

# --- edit in $EDITOR: a valid change saves a version ---
out=$(EDITOR='sed -i s/Old/New/' as bob edit $b1 2>&1); ok $? "edit with a scripted editor exits 0"
like "$out" "Saved $b1 as version 2; lock released" "... and reports the new version"
like "$(as bob show $b1)" '^245 10 \$\$a New title' "the change is stored"
like "$(as bob show --info $b1)" "^Lock: +not locked" "the lock is released after the save"
like "$(as bob show --info $b1)" "^Updated: +.* by bob\$" "info: updated by bob"

# --- an invalid edit reopens the editor with the errors on top ---
cat >"$tmp/fix245.sh" <<EOF
#!/bin/sh
# run 1: delete the 245; run 2: keep a copy of what we are shown, add a 245
n=\$(cat "$tmp/fix.n" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"$tmp/fix.n"
cp "\$1" "$tmp/fix.seen.\$n"
if [ \$n = 1 ]; then sed -i '/^=245/d' "\$1"; else printf '=245  10\$aFixed title.\n' >>"\$1"; fi
EOF
chmod +x "$tmp/fix245.sh"
out=$(EDITOR="$tmp/fix245.sh" as bob edit $b1 2>&1); ok $? "invalid then fixed: edit exits 0"
is "$(cat "$tmp/fix.n")" 2 "the editor was opened twice"
like "$(head -n 4 "$tmp/fix.seen.2")" "^# $b1 was NOT saved: 1 error" "second round: a comment says it was not saved"
like "$(head -n 4 "$tmp/fix.seen.2")" "^# .*error: .*no 245" "second round: the missing 245 is named in a comment on top"
grep -q '^=245' "$tmp/fix.seen.2"; is $? 1 "second round: the user's text (without 245) is kept"
like "$out" "Saved $b1 as version 3" "the fixed record is saved as version 3"
like "$(as bob show $b1)" '^245 10 \$\$a Fixed title\.$' "the fixed 245 is stored"

# a syntax error is located by line in the file as the editor shows it
cat >"$tmp/badind.sh" <<EOF
#!/bin/sh
n=\$(cat "$tmp/bad.n" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"$tmp/bad.n"
cp "\$1" "$tmp/bad.seen.\$n"
[ \$n = 1 ] && sed -i 's/^=650  \\\\0/=650  X/' "\$1"
exit 0
EOF
chmod +x "$tmp/badind.sh"
err=$(EDITOR="$tmp/badind.sh" as bob edit $b1 2>&1); is $? 1 "giving up (quitting unchanged after errors) exits 1"
line=$(grep -n '^=650' "$tmp/bad.seen.2" | cut -d: -f1)
like "$(head -n 3 "$tmp/bad.seen.2")" "^# line $line: 650\[1\]: error: data field has no indicators" "the error names the line the 650 is on in the reopened file"
like "$err" "still has errors and was not saved" "... says nothing was saved"
kept=$(printf '%s\n' "$err" | sed -n 's/.*your text is kept in //p')
[ -n "$kept" ] && grep -q '^=650  X\$aMusic' "$kept"; ok $? "... and keeps the user's text in the file it names"
is "$(as bob show --info $b1 | sed -n 's/^Version: *//p')" "3 (edit)" "no version was written"
like "$(as bob show --info $b1)" "^Lock: +not locked" "the lock is released after giving up"

# quitting without changes, or emptying the file, changes nothing
out=$(EDITOR=true as bob edit $b1 2>&1); ok $? "quitting without changes exits 0"
like "$out" "No changes" "... and says so"
out=$(EDITOR='sh -c ": >\"\$1\"" sh' as bob edit $b1 2>&1); ok $? "emptying the file exits 0"
like "$out" "empty" "... and says the record was not changed"
err=$(EDITOR=false as bob edit $b1 2>&1); is $? 1 "an editor that fails exits 1"
like "$err" "exited with status 1" "... and says so"
is "$(as bob show --info $b1 | sed -n 's/^Version: *//p')" "3 (edit)" "still version 3"
like "$(as bob show --info $b1)" "^Lock: +not locked" "no lock left behind"
is "$(ls "$tmp"/colophon-$b1-*.mrk | wc -l)" 1 "only the given-up text was kept; no other temporary file is left"

# --- roles on edit ---
err=$(EDITOR=true as dave edit $b1 2>&1); is $? 1 "an inventory operator cannot edit a bib (exit 1)"
as bob show --format mrk $b1 >"$tmp/b1.mrk"
err=$(as dave edit $b1 --file "$tmp/b1.mrk" 2>&1); is $? 1 "... nor with --file"
like "$err" "needs role cataloger" "... 'needs role cataloger'"
err=$(as eve edit $b1 --file "$tmp/b1.mrk" 2>&1); is $? 1 "someone who is no user cannot edit"
like "$err" "eve is not a user of this repository" "... and is told so"
as bob show --format mrk $h1 | sed 's/STACKS/REFERENCE/' >"$tmp/h1.mrk"
err=$(as bob edit $h1 --file "$tmp/h1.mrk" 2>&1); is $? 1 "a cataloger cannot edit holdings"
like "$err" "needs role inventory" "... 'needs role inventory'"
out=$(as dave edit $h1 --file "$tmp/h1.mrk" 2>&1); ok $? "an inventory operator edits holdings"
like "$(as bob show --holdings $b1)" "MAIN / REFERENCE" "... and the location is re-indexed"

# --- edit --file, locks, View Only, release ---
sed 's/Fixed title/Carol title/' "$tmp/b1.mrk" >"$tmp/carol.mrk"
out=$(as carol edit $b1 --file "$tmp/carol.mrk" --keep-lock 2>&1); ok $? "edit --file --keep-lock saves"
like "$out" "as version 4; you keep the lock" "... and keeps the lock"
like "$(as bob show --info $b1)" "^Lock: +View Only — locked by carol since [0-9-]+ [0-9:]+" "others see View Only — locked by carol since ..."
like "$(as carol show --info $b1)" "^Lock: +locked by you \(carol\)" "the holder sees their own lock"
err=$(EDITOR=true as bob edit $b1 2>&1); is $? 3 "editing a record locked by someone else exits 3"
like "$err" "locked by carol since .*View Only" "... saying who and since when"
err=$(as bob edit $b1 --file "$tmp/b1.mrk" 2>&1); is $? 3 "edit --file of a locked record exits 3"
err=$(as bob revert $b1 1 2>&1); is $? 3 "revert of a record locked by someone else exits 3"
err=$(as bob release $b1 2>&1); is $? 3 "releasing someone else's lock exits 3"
like "$err" "locked by carol .*not by you \(bob\)" "... and says whose it is"
out=$(as carol release $b1); ok $? "the holder releases"
like "$out" "Released your lock on $b1" "... and is told so"
like "$(as carol release $b1)" "held no lock" "releasing again says there was none"
like "$(as bob show --info $b1)" "^Lock: +not locked" "the record is free again"

# a lock expires after lock.timeout of inactivity
# (5 s, not 1 s: on a loaded machine two commands can be a second apart)
as alice config set lock.timeout 5s >/dev/null
out=$(as carol edit $b1 --file "$tmp/carol.mrk" --keep-lock 2>&1)
like "$out" "No changes" "edit --file of the record as it is saves nothing"
like "$(as bob show --info $b1)" "^Lock: +View Only — locked by carol" "... and --keep-lock keeps the lock"
sleep 6
like "$(as bob show --info $b1)" "^Lock: +not locked" "an expired lock reads as not locked"
out=$(EDITOR='sed -i s/Carol/Bob/' as bob edit $b1 2>&1); ok $? "another user can edit once the lock expired"
like "$out" "as version 5" "... and saves"
as alice config set lock.timeout 60m >/dev/null

# the version check
err=$(as bob edit $b1 --file "$tmp/carol.mrk" --base-version 4 2>&1); is $? 3 "--base-version older than the record exits 3"
like "$err" "changed since you opened it \(you have version 4; it is now version 5, saved by bob" "... naming both versions and who saved"
like "$err" "your text is still in $tmp/carol.mrk" "... and where the text is"
out=$(as bob edit $b1 --file "$tmp/carol.mrk" --base-version 5 2>&1); ok $? "--base-version equal to the record saves"
as bob edit $b1 --file "$tmp/records.mrk" >/dev/null 2>&1; is $? 1 "a file with several records is refused"
printf '=LDR  00000nam a2200000 a 4500\n=245  1$aNo indicators\n' >"$tmp/broken.mrk"
err=$(as bob edit $b1 --file "$tmp/broken.mrk" 2>&1); is $? 1 "a malformed file is refused (exit 1)"
like "$err" "broken.mrk: record 1 \(line 2\): 245" "... with the line of the problem"
printf '=LDR  00000nam a2200000 a 4500\n=100  1\\$aNo title\n' >"$tmp/no245.mrk"
err=$(as bob edit $b1 --file "$tmp/no245.mrk" 2>&1); is $? 1 "a record without 245 is refused"
like "$err" "no 245" "... naming the 245"
like "$(as bob show --info $b1)" "^Lock: +not locked" "failed edits leave no lock"
is "$(as bob show --info $b1 | sed -n 's/^Version: *//p')" "6 (edit)" "failed edits write no version"
as bob edit --base-version 3 $b1 >/dev/null 2>&1; is $? 2 "--base-version without --file is a usage error"

# --- versions ---
vl=$(as bob versions $b1); ok $? "versions lists"
is "$(printf '%s\n' "$vl" | grep -cE '^ +[* ] +[0-9]+  ')" 6 "six versions listed"
like "$vl" '^      1  [0-9-]+ [0-9:]+  alice +import$' "version 1: when, who, why"
like "$vl" '^  \*   6  [0-9-]+ [0-9:]+  bob +edit  \(current\)$' "the current version is marked"
d=$(as bob versions $b1 --diff 1 2); ok $? "versions --diff"
like "$d" "^--- $b1 version 1 \(.*alice, import\)" "diff header names version A"
like "$d" "^\+\+\+ $b1 version 2 \(.*bob, edit\)" "diff header names version B"
like "$d" '^~ 245  10\$aOld title of the first record /\$cby Antonín Dvořák\.$' "a changed field: old text on the ~ line"
like "$d" '^   ->  10\$aNew title of the first record /\$cby Antonín Dvořák\.$' "... new text on the -> line"
d=$(as bob versions $b1 --diff 2 3)
like "$d" '^- 245  10\$aNew title' "a removed field is a - line"
like "$d" '^\+ 245  10\$aFixed title\.$' "an added field is a + line"
like "$d" "1 field\(s\) added, 1 removed" "the diff counts the changes"
like "$(as bob versions $b1 --diff 5)" "^\+\+\+ $b1 version 6 \(current\)" "--diff A compares with the current version"
like "$(as bob versions $b1 --diff 3 3)" "no differences" "a version compared with itself has no differences"
like "$(as bob versions $b1 --show 1)" '^245 10 \$\$a Old title' "versions --show prints an old version"
like "$(as bob versions $b1 --show 2 --format mrk)" '^=245  10\$aNew title' "... in any format"
err=$(as bob versions $b1 --show 99 2>&1); is $? 1 "an unknown version exits 1"
like "$err" "has no version 99" "... and names it"
as bob versions $b1 --diff >/dev/null 2>&1; is $? 2 "--diff without versions is a usage error"

# --- revert ---
out=$(as bob revert $b1 1 2>&1); ok $? "revert to version 1"
like "$out" "version 1; that is now version 7" "... as a new version"
like "$(as bob show $b1)" '^245 10 \$\$a Old title' "the old content is current"
like "$(as bob versions $b1)" '^  \*   7  .* bob +revert  \(current\)$' "the revert is listed with its reason"
like "$(as bob versions $b1 --show 6 --format mrk)" "Carol title" "the content replaced by the revert is still a version"
err=$(as dave revert $b1 2 2>&1); is $? 1 "revert needs the editing role"
like "$err" "needs role cataloger" "... 'needs role cataloger'"
as bob revert $b1 42 >/dev/null 2>&1; is $? 1 "revert to an unknown version exits 1"
as bob revert $b1 >/dev/null 2>&1; is $? 2 "revert without VERSION is a usage error"

# --- delete (SPEC §3.7) ---
err=$(as bob delete --yes $b2 2>&1); is $? 1 "a cataloger cannot delete (exit 1)"
like "$err" "needs role cataloger-extended" "... 'needs role cataloger-extended'"
as alice user grant bob --role cataloger-extended >/dev/null
err=$(as bob delete --yes $b1 2>&1); is $? 1 "a bib with holdings is not deleted (exit 1)"
like "$err" "has 1 holdings record\(s\); relink or delete them first" "... and the core says why"
EDITOR=true as carol edit --keep-lock $b2 >/dev/null 2>&1
err=$(as bob delete --yes $b2 2>&1); is $? 3 "a bib locked by someone else is not deleted (exit 3)"
like "$err" "locked by carol" "... naming the holder"
as carol release $b2 >/dev/null
# Linking is the workflow verbs' business; the link is set in the file here to check the rule.
sqlite3 "$repo/iz.db" "UPDATE bib SET linked = '991000000014801' WHERE mms = '$b2'"
err=$(as bob delete --yes $b2 2>&1); is $? 1 "a bib linked to the NZ is not deleted (exit 1)"
like "$err" "linked to network zone record 991000000014801; unlink it first" "... and says to unlink first"
sqlite3 "$repo/iz.db" "UPDATE bib SET linked = NULL WHERE mms = '$b2'"
as bob delete $b2 </dev/null >/dev/null 2>&1; is $? 2 "without --yes and no terminal, delete is a usage error"
out=$(as bob delete --yes $b2 2>&1); ok $? "delete succeeds"
like "$out" "Deleted $b2" "... and says so"
like "$(as bob show --info $b2)" "^Deleted: +yes" "the deleted record is marked deleted"
like "$(as bob versions $b2)" "delete  \(current\)" "its versions are kept, the delete last"
as bob delete --yes $b2 >/dev/null 2>&1; is $? 1 "deleting twice exits 1"
err=$(EDITOR=true as bob edit $b2 2>&1); is $? 1 "a deleted record cannot be edited"
like "$err" "has been deleted" "... and says so"
printf '=LDR  00000nam a2200000 a 4500\n=245  00$aA later record.\n' >"$tmp/later.mrk"
as alice import -q "$tmp/later.mrk" >/dev/null 2>&1
like "$(as bob show --info 991000000031234)" "^MMS ID: +991000000031234" "records imported after a delete get new MMS IDs"
like "$(as bob show --info $b2)" "^Deleted: +yes" "... never the deleted one"

done_testing
