#!/bin/sh
# Save an edit, look at the versions and the diff, revert to version 1.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

e2e_start v -- edit "$MMS1"
check "the record opens" e2e_wait v "Locked by you until"
e2e_keys v Down Down Down Down Down Down Down Down Down End
e2e_type v " (second edition)"
e2e_keys v C-s
check "the edit is saved as version 2" e2e_wait v "as version 2"
e2e_keys v M-7
check "M-7 lists two versions" e2e_wait v "2 version(s) of $MMS1"
e2e_keys v Up Enter
check "Enter shows the diff of version 1 with the current one" \
    e2e_wait v "Version 1 -> current"
check "the diff shows the changed 245" e2e_wait v "-> 245  10\$aHow to program a computer (second edition)"
e2e_keys v Escape
e2e_keys v r
check "r asks before reverting" e2e_wait v "Revert $MMS1 to version 1?"
e2e_keys v y
check "the record is version 3" e2e_wait v " v3 "
check "the 245 is the original one again" e2e_wait_gone v "(second edition)"
like "$(cli versions "$MMS1" 2>&1)" "3 .*revert" "the CLI lists version 3 (revert)"
e2e_keys v C-q
done_testing
