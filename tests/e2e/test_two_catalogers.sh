#!/bin/sh
# Two catalogers on one record: the second opens it View Only and sees who
# holds the lock and since when; once released, the second can edit.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo alice
cli user add bob --role cataloger >/dev/null

e2e_start a -u alice -- edit "$MMS1"
check "alice opens the record for editing" e2e_wait a "Locked by you until"
e2e_start b -u bob -- edit "$MMS1"
check "bob opens it View Only, told who holds it" e2e_wait b "View Only - locked by alice since"
check "with the time, on the message line" e2e_wait b "is locked by alice since"
e2e_type b "x"
check "typing is refused, saying why" e2e_wait b "View Only:"
e2e_keys b C-s
check "saving is refused" e2e_wait b "View Only"
if e2e_screen b | grep -qF "[+]"; then ok 1 "bob's screen shows no change"; else
    ok 0 "bob's screen shows no change"; fi
e2e_keys a M-R
check "alice releases it" e2e_wait a "Released $MMS1"
e2e_keys b C-o
e2e_type b "$MMS1"
e2e_keys b Enter
check "now bob can open it for editing" e2e_wait b "Locked by you until"
e2e_keys b C-q
e2e_keys a C-q
done_testing
