#!/bin/sh
# Start without a record, search the repository from the Search tab, open a
# hit, compare another beside it.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

e2e_start s
check "the editor starts with no record" e2e_wait s "No record open."
e2e_keys s C-f
e2e_type s "computer"
e2e_keys s Enter
check "the search finds 13 hits" e2e_wait s "13 hit(s)"
check "a hit's brief line shows its MMS ID" e2e_wait s "$MMS2"
e2e_keys s Down Down v
check "v shows the third hit beside the (empty) record pane" e2e_wait s "Comparing: $MMS3"
e2e_keys s Escape
check "Esc goes back to the hits" e2e_wait s "13 hit(s)"
e2e_keys s Enter
check "Enter opens the selected hit for editing" e2e_wait s "Opened $MMS3 for editing"
check "its title is in the title bar" e2e_wait s "Computer processing of dynamic"
e2e_keys s Tab C-f
e2e_keys s C-u
e2e_type s "title=passwords"
e2e_keys s Enter
check "a fielded query finds one hit" e2e_wait s "1 hit(s)"
e2e_keys s Enter
check "opening it releases the first record and locks this one" \
    e2e_wait s "Opened 991000000081234 for editing"
like "$(cli show --info "$MMS3" 2>&1)" "." "the CLI still reads the first record"
e2e_keys s C-q
done_testing
