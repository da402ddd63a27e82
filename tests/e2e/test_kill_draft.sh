#!/bin/sh
# kill -9 the editor in the middle of an edit: reopening the record offers
# the draft, and accepting it restores the edit.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

e2e_start k -- edit "$MMS1"
check "the record opens" e2e_wait k "Locked by you until"
e2e_keys k Down Down Down Down Down Down Down Down Down End
e2e_type k " (draft)"
check "the edit is on the screen" e2e_wait k "computer (draft)"
pid=$(e2e_pid k)
kill -9 "$pid"
tries=0
while [ $tries -lt 50 ] && e2e_alive k; do sleep 0.1; tries=$((tries + 1)); done
if e2e_alive k; then ok 1 "kill -9 ends colophon"; else ok 0 "kill -9 ends colophon"; fi
e2e_stop k
like "$(cli show "$MMS1" 2>&1)" "245 10 \\\$\\\$a How to program a computer$" \
    "nothing was saved"
e2e_start k2 -- edit "$MMS1"
check "reopening offers the draft" e2e_wait k2 "Unsaved edits of $MMS1 from"
e2e_keys k2 y
check "y restores it" e2e_wait k2 "Draft restored"
check "the edit is back" e2e_wait k2 "computer (draft)"
check "and marked modified" e2e_wait k2 "[+]"
e2e_keys k2 C-s
check "it can be saved" e2e_wait k2 "as version 2"
like "$(cli show "$MMS1" 2>&1)" "computer \\(draft\\)" "the saved record has it"
e2e_keys k2 C-q
e2e_start k3 -- edit "$MMS1"
check "after the save no draft is offered" e2e_wait k3 "Opened $MMS1 for editing"
e2e_keys k3 C-q
done_testing
