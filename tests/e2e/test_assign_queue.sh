#!/bin/sh
# Assignment and the Queue tab in the real editor (SPEC §2 Assignment, §3.8,
# seed 004): a cataloger assigns the open record to bob with a note (M-g); the
# record turns View Only for her; bob finds it in his Queue with the note,
# opens it for editing and releases the assignment with a note (M-G).  The
# assigner's queue shows what she assigned and the overdue reminder; she
# releases an assignment bob never opened from the queue (r).  Refusals
# (assigning twice) are shown as the core words them.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

cli --user cataloger user add bob --role cataloger >/dev/null
cli --user cataloger reminder add "$MMS3" --text "Close the serial" --due 2020-01-02 >/dev/null
like "$(cli --user cataloger reminder list --overdue 2>&1)" "Close the serial" \
    "the CLI lists the overdue reminder"

# ---- the cataloger assigns the record she has open ----
e2e_start cat -- --user cataloger edit "$MMS1"
check "the record opens for editing" e2e_wait cat "Locked by you until"
e2e_keys cat M-g
check "M-g asks to whom, naming the catalogers" e2e_wait cat "to (bob):"
e2e_type cat bob
e2e_keys cat Enter
check "it asks for a note" e2e_wait cat "Note for bob (optional):"
e2e_type cat "Please add the subject headings"
e2e_keys cat Enter
check "the record is assigned" e2e_wait cat "Assigned $MMS1 to bob"
check "the record is View Only for the assigner now" e2e_wait cat "View Only"
like "$(cli assign --list 2>&1)" "$MMS1.*bob" "the CLI lists the assignment"
e2e_keys cat M-g
e2e_wait cat "to (bob):" >/dev/null
e2e_type cat bob
e2e_keys cat Enter Enter
check "assigning it again is refused in the core's words" e2e_wait cat "already assigned to bob"

# ---- bob's queue ----
e2e_start bob -- --user bob
check "bob's editor starts" e2e_wait bob "no record open"
e2e_keys bob M-8
check "bob's queue lists the record assigned to him" e2e_wait bob "Assigned to me (1)"
check "with who assigned it" e2e_wait bob "from cataloger"
check "and the note" e2e_wait bob "Please add the subject"
check "the overdue reminder is in the queue" e2e_wait bob "OVERDUE 2020-01-02"
e2e_keys bob Enter
check "Enter opens the assigned record for bob to edit" e2e_wait bob "Locked by you until"
e2e_keys bob M-G
check "M-G asks for a release note" e2e_wait bob "Release assignment of $MMS1"
e2e_type bob "Subjects added"
e2e_keys bob Enter
check "bob releases the assignment" e2e_wait bob "Released the assignment of $MMS1"
like "$(cli note list "$MMS1" 2>&1)" "Subjects added" "the release note is kept as a note"
is "$(cli assign --list 2>&1 | grep -c "$MMS1")" 0 "no assignment of $MMS1 is left"

# ---- the assigner's queue ----
cli --user cataloger assign "$MMS2" --to bob --note "Check the 245" >/dev/null
e2e_keys cat M-8
check "the cataloger's queue lists what she assigned" e2e_wait cat "Assigned by me (1)"
check "bob has not opened it" e2e_wait cat "released by bob"
check "the overdue reminder shows in her queue too" e2e_wait cat "Close the serial"
e2e_keys cat r
check "r asks for a release note" e2e_wait cat "Release the assignment of $MMS2"
e2e_keys cat Enter
check "the assigner releases it" e2e_wait cat "Released the assignment of $MMS2"
check "her queue is read again" e2e_wait cat "Assigned by me (0)"
is "$(cli assign --list 2>&1 | grep -c "$MMS2")" 0 "no assignment of $MMS2 is left"
e2e_keys cat C-q
e2e_keys bob C-q
done_testing
