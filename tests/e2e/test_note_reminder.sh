#!/bin/sh
# Add a note and a reminder from the editor's tabs; the CLI sees them.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

e2e_start n -- edit "$MMS1"
check "the record opens" e2e_wait n "Locked by you until"
e2e_keys n M-5
check "M-5 shows the Notes tab" e2e_wait n "0 note(s) on"
e2e_keys n a
check "a asks for the note" e2e_wait n "New note:"
e2e_type n "Check the imprint against the piece."
e2e_keys n Enter
check "the note is added" e2e_wait n "Note added"
check "the note is listed" e2e_wait n "Check the imprint"
e2e_keys n M-6
check "M-6 shows the Reminders tab" e2e_wait n "0 reminders"
e2e_keys n a
check "a asks for the reminder's text" e2e_wait n "New reminder - text:"
e2e_type n "Withdraw when the new edition arrives."
e2e_keys n Enter
check "then its due date" e2e_wait n "New reminder - due date"
e2e_type n "2001-02-30"
e2e_keys n Enter
check "a date that is not a day is refused with the reason" e2e_wait n "is not a date"
e2e_keys n C-u
e2e_type n "2001-01-31"
e2e_keys n Enter
check "then its type, the default offered" e2e_wait n "GENERAL*"
e2e_keys n Enter
check "then its status" e2e_wait n "New reminder - status"
e2e_keys n Enter
check "the reminder is added" e2e_wait n "Reminder added"
check "it is overdue (2001)" e2e_wait n "1 reminder: 1 overdue"
like "$(cli note list "$MMS1" 2>&1)" "Check the imprint against the piece" "the CLI lists the note"
like "$(cli reminder list "$MMS1" 2>&1)" "2001-01-31.*GENERAL.*NEW" "the CLI lists the reminder"
like "$(cli reminder list "$MMS1" 2>&1)" "Withdraw when the new edition arrives" \
    "with its text"
e2e_keys n d
check "d asks before deleting the reminder" e2e_wait n "Delete the reminder"
e2e_keys n y
check "the reminder is deleted" e2e_wait n "Reminder deleted"
like "$(cli reminder list "$MMS1" 2>&1)" "^$|[Nn]o reminder" "the CLI lists none"
e2e_keys n C-q
done_testing
