#!/bin/sh
# test_notes.sh - `colophon note`, `assign`, `reminder` and `queue` end to
# end through the real binary, on a repository holding the Debian LoC
# sample records, as users with different roles; assignment mail goes to a
# fake sendmail that records what it is given.
# Usage: test_notes.sh COLOPHON_BINARY
set -u
bin=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
loc=/usr/share/doc/idzebra-2.0/examples
export COLOPHON_REPO="$tmp/repo"
c() { # USER ARGS... : run colophon as USER
    u=$1
    shift
    "$bin" --user "$u" "$@"
}

# --- a repository with real records ---
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
c admin init --institution 1234 "$tmp/repo" >/dev/null; ok $? "init"
c admin import -q "$tmp/loc.mrc" 2>/dev/null; ok $? "LoC records imported into the IZ"
c admin import -q --zone nz "$tmp/loc.mrc" 2>/dev/null; ok $? "LoC records imported into the NZ"
c admin user add alice --role cataloger --email alice@example.org >/dev/null
c admin user add bob --role cataloger >/dev/null
c admin user add carol --role cataloger-extended >/dev/null
c admin user add ivan --role inventory >/dev/null
m1=991000000011234
m2=991000000021234
m3=991000000031234
n1=991000000014801
"$bin" show --info $m3 >/dev/null && "$bin" show --info $n1 >/dev/null; ok $? "the records exist"

for v in note assign reminder queue; do
    o=$("$bin" $v --help); ok $? "$v --help exits 0"
    like "$o" "Usage: colophon $v" "$v --help shows its usage"
done

# --- notes ---
out=$(c alice note add $m1 "Check the 245 \$c"); ok $? "a cataloger adds a note"
is "$out" "Added note 1 to $m1." "the note's ID is printed"
printf 'first line\nsecond line\n' | c bob note add $m1 - >/dev/null; ok $? "a note from standard input"
out=$(c alice note add $n1 "NZ note"); is "$out" "Added note nz:1 to $n1." "NZ notes carry the zone in their ID"
out=$("$bin" note list $m1)
like "$out" '^1 +[0-9-]+ [0-9:]+ alice$' "list: ID, time and author"
like "$out" '^    Check the 245 \$c$' "list: the text as given"
like "$out" '^    second line$' "list: a multi-line note keeps its lines"
err=$(c ivan note add $m1 "hi" 2>&1); is $? 1 "an inventory operator cannot add notes"
like "$err" "needs role cataloger" "the refusal names the role"
err=$(c alice note add $m1 "   " 2>&1); is $? 1 "a blank note is refused"
err=$(c alice note add 991999999991234 "x" 2>&1); is $? 1 "a note on a missing record is refused"
err=$(c bob note delete 1 2>&1); is $? 1 "bob cannot delete alice's note"
like "$err" "only its author \(alice\)" "the refusal says whose note it is"
out=$(c alice note delete 1); ok $? "the author deletes her note"
like "$out" "Deleted note 1 \(by alice\) from $m1" "delete says what went"
c carol note delete 2 >/dev/null; ok $? "cataloger-extended deletes anyone's note"
c alice note delete nz:1 >/dev/null; ok $? "an NZ note is deleted by its zone ID"
is "$("$bin" note list $m1)" "No notes on $m1." "no notes left"
err=$(c alice note delete x17 2>&1); is $? 1 "a malformed note ID is refused"
c alice note add $m1 >/dev/null 2>&1; is $? 2 "note add without text is a usage error"
c alice note frob >/dev/null 2>&1; is $? 2 "unknown note action is a usage error"

# --- assignments ---
cat >"$tmp/sendmail" <<EOF
#!/bin/sh
{ echo "ARGS: \$*"; cat; } >"$tmp/mail.out"
EOF
chmod +x "$tmp/sendmail"
c admin config set mail.sendmail "$tmp/sendmail" >/dev/null; ok $? "mail.sendmail is a configuration key"
c admin config set mail.from colophon@example.org >/dev/null
out=$(c bob assign $m2 --to alice --note "Please fix the 650s" 2>&1); ok $? "bob assigns a record to alice"
is "$out" "Assigned $m2 to alice." "assign says so, without warning"
like "$(cat "$tmp/mail.out")" "^ARGS: -i -f colophon@example.org -- alice@example.org$" "sendmail gets the assignee's address"
like "$(cat "$tmp/mail.out")" "^Subject: \[Colophon\] bob assigned record $m2 to you$" "the mail's subject names the record"
like "$(cat "$tmp/mail.out")" "Note: +Please fix the 650s" "the mail carries the note"
like "$("$bin" show --info $m2)" "assigned to alice" "show --info: assigned to alice"
"$bin" show -f mrk $m2 >"$tmp/m2.mrk"
err=$(c carol edit --file "$tmp/m2.mrk" $m2 2>&1); is $? 3 "others cannot edit an assigned record"
like "$err" "assigned to alice" "... View Only, assigned to alice"
c alice edit --keep-lock --file "$tmp/m2.mrk" $m2 >/dev/null 2>&1; ok $? "the assignee edits it"
err=$(c carol assign $m2 --to bob 2>&1); is $? 3 "an assigned record cannot be assigned again"
like "$err" "already assigned to alice" "... the message names the assignee"
out=$(c bob assign --list)
like "$out" "^$m2 +alice +bob +[0-9-]+ [0-9:]+ yes " "assign --list: assignee, assigner, open"
like "$out" "note: Please fix the 650s" "assign --list shows the note"
is "$(c bob assign --list --to-me)" "No assignments." "--to-me: nothing for bob"
like "$(c alice assign --list --to-me)" "^$m2 " "--to-me: alice's"
like "$(c alice queue)" "Assigned +$m2 .*\(from bob, " "alice's queue marks it Assigned"
like "$(c bob queue)" "$m2 .*\(to alice, .*open in their editor\)" "bob's queue: alice has it open"
err=$(c carol assign --release $m2 2>&1); is $? 1 "a third user cannot release the assignment"
err=$(c bob assign --release $m2 2>&1); is $? 3 "the assigner cannot release while alice has it open"
c alice release $m2 >/dev/null; ok $? "alice releases the record"
like "$(c bob queue)" "not open: you may release it" "bob's queue says he may release it now"
c bob assign --release $m2 --note "Done, thanks" >/dev/null; ok $? "then the assigner releases the assignment"
like "$("$bin" note list $m2)" "Assignment to alice released by bob: Done, thanks" "the release note is kept"
err=$(c bob assign --release $m2 2>&1); is $? 1 "releasing twice: not assigned"
err=$(c bob assign $m2 --to ivan 2>&1); is $? 1 "assigning to an inventory operator is refused"
err=$(c bob assign $m2 --to bob 2>&1); is $? 1 "assigning to oneself is refused"
err=$(c ivan assign $m2 --to alice 2>&1); is $? 1 "an inventory operator cannot assign"
c bob assign $m2 >/dev/null 2>&1; is $? 2 "assign without --to is a usage error"
c bob assign --list $m2 >/dev/null 2>&1; is $? 2 "--list takes no MMS ID"
printf '#!/bin/sh\necho "connection refused" >&2\nexit 75\n' >"$tmp/sendmail"
err=$(c bob assign $m2 --to carol 2>&1); is $? 0 "a failing sendmail does not fail the assignment"
like "$err" "warning: .*no e-mail was sent: carol has no e-mail address" "... the warning says why (no address)"
c carol assign --release $m2 >/dev/null
err=$(c bob assign $m2 --to alice 2>&1); is $? 0 "assign with sendmail exiting 75"
like "$err" "warning: .*exited with status 75: connection refused" "... the warning carries sendmail's message"
c alice assign --release $m2 >/dev/null; ok $? "the assignee releases at once"

# --- reminders ---
yesterday=$(date -d yesterday +%F)
today=$(date +%F)
tomorrow=$(date -d tomorrow +%F)
out=$(c alice reminder add $m3 --text "Close the serial" --due "$yesterday"); ok $? "add a reminder"
is "$out" "Added reminder 1 to $m3 ($yesterday, GENERAL, NEW)." "defaults: GENERAL, NEW"
c alice reminder add $m3 --text "Due today" --due "$today" --type general >/dev/null; ok $? "type in any case"
c bob reminder add $n1 --text "NZ reminder" --due "$tomorrow" >/dev/null; ok $? "a reminder on an NZ record"
c bob reminder add $m1 --text "No date" >/dev/null; ok $? "a reminder without a due date"
err=$(c alice reminder add $m3 --text x --due 2026-02-29 2>&1); is $? 1 "2026-02-29 is refused"
like "$err" "'2026-02-29' is not a date" "the message names the bad date"
err=$(c alice reminder add $m3 --text x --type NOPE 2>&1); is $? 1 "an unknown type is refused"
err=$(c ivan reminder add $m3 --text x 2>&1); is $? 1 "an inventory operator cannot add reminders"
c alice reminder add $m3 >/dev/null 2>&1; is $? 2 "add without --text is a usage error"
out=$("$bin" reminder list)
like "$out" "^1 +$yesterday overdue GENERAL +NEW " "list: the overdue one"
like "$out" "^2 +$today due +GENERAL " "list: the one due today"
like "$out" "^nz:1 +$tomorrow open " "list: the NZ one, not yet due"
like "$(printf '%s\n' "$out" | grep '^[0-9n]' | tail -n 1)" "^3 +- +open " "list: the undated one, last"
is "$("$bin" reminder list --overdue | grep -c '^[0-9n]')" 1 "--overdue: one"
is "$("$bin" reminder list --zone nz | grep -c '^nz:')" 1 "--zone nz: the NZ one"
is "$("$bin" reminder list $m3 | grep -c '^[0-9]')" 2 "list MMSID: that record's"
is "$("$bin" reminder list --from "$today" --to "$today" | grep -c '^[0-9n]')" 4 "submitted today: all four"
is "$("$bin" reminder list --to "$yesterday")" "No reminders." "submitted up to yesterday: none"
is "$("$bin" reminder list --due-before "$today" | grep -c '^[0-9n]')" 1 "--due-before today: one"
"$bin" reminder list --from 2026-13-01 >/dev/null 2>&1; is $? 1 "a bad --from is refused"
like "$(c alice queue)" "Overdue $m3 .*reminder 1, due $yesterday" "the queue shows the overdue reminder"
like "$(c alice queue)" "Due +$m3 .*reminder 2, due $today" "... and the one due today"
c alice queue | grep -q "nz:1"; is $? 1 "... but not tomorrow's"
err=$(c alice reminder statuses add DONE Done --closed 2>&1); is $? 1 "only an admin adds statuses"
c admin reminder statuses add done Done --closed >/dev/null; ok $? "admin adds a closed status"
like "$("$bin" reminder statuses list)" "^DONE +yes +0 +Done$" "statuses list: DONE closed"
like "$("$bin" reminder statuses list)" "^NEW +yes +3 +New$" "statuses list: NEW default, used by the 3 IZ reminders"
c admin reminder types add WITHDRAW "Withdraw the title" --default >/dev/null; ok $? "admin adds a default type"
like "$("$bin" reminder types list)" "^WITHDRAW +yes +0 +Withdraw the title$" "the new type is the default"
like "$("$bin" reminder types list)" "^GENERAL +3 +General$" "... and GENERAL is not"
out=$(c alice reminder edit 1 --status done); ok $? "the author closes her reminder"
like "$out" "DONE" "edit prints the new status"
c alice queue | grep -q "Overdue"; is $? 1 "a closed reminder leaves the queue"
err=$(c bob reminder edit 2 --text x 2>&1); is $? 1 "bob cannot edit alice's reminder"
c carol reminder edit 2 --due "" >/dev/null; ok $? "cataloger-extended removes the due date"
like "$("$bin" reminder list $m3)" "^2 +- +open " "... the reminder has no date now"
err=$(c admin reminder statuses remove DONE 2>&1); is $? 3 "a status in use cannot be removed"
like "$err" "used by 1 reminder" "... the message says how often"
err=$(c admin reminder types remove WITHDRAW 2>&1); is $? 1 "the default type cannot be removed"
c admin reminder types default GENERAL >/dev/null; ok $? "make GENERAL the default again"
c admin reminder types remove withdraw >/dev/null; ok $? "then WITHDRAW is removed"
c alice reminder delete 1 >/dev/null; ok $? "the author deletes a reminder"
c alice reminder delete 1 >/dev/null 2>&1; is $? 1 "deleting it twice: no such reminder"
c bob reminder delete nz:1 >/dev/null; ok $? "an NZ reminder is deleted by its zone ID"
c alice reminder list --text x >/dev/null 2>&1; is $? 2 "--text does not filter a list"
c alice reminder add $m3 --text x --overdue >/dev/null 2>&1; is $? 2 "--overdue does not go with add"

done_testing
