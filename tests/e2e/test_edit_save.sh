#!/bin/sh
# Open a record, edit it, save, save and release, quit; the repository has
# the new version and no lock.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

e2e_start ed -- edit "$MMS1"
check "the record opens for editing" e2e_wait ed "Locked by you until"
check "the record pane shows the 245" e2e_wait ed "245 10 \$\$aHow to program a computer"
# from 001 (where the cursor starts) down to 245, then to its end
e2e_keys ed Down Down Down Down Down Down Down Down Down End
e2e_type ed " (tmux)"
check "the edit shows, marked modified" e2e_wait ed "[+] How to program"
check "the typed text is in the field" e2e_wait ed "computer (tmux)"
e2e_keys ed C-s
check "C-s saves version 2" e2e_wait ed "Saved $MMS1 as version 2"
check "the modified marker goes" e2e_wait_gone ed "[+]"
e2e_keys ed M-r
check "M-r (Save and Release) releases" e2e_wait ed "Released $MMS1"
check "the title says View Only after release" e2e_wait ed "View Only"
like "$(cli versions "$MMS1" 2>&1)" "2.*edit" "the CLI lists version 2 (edit)"
like "$(cli show "$MMS1" 2>&1)" "computer \\(tmux\\)" "the saved record has the edit"
like "$(cli search "mms=$MMS1" 2>&1)" "$MMS1" "the record is found"
unlike_lock=$(cli show --info "$MMS1" 2>&1)
if printf '%s\n' "$unlike_lock" | grep -qi "locked by"; then
    ok 1 "no lock remains after Save and Release"
    printf '%s\n' "$unlike_lock" | sed 's/^/#   /'
else
    ok 0 "no lock remains after Save and Release"
fi
e2e_keys ed C-q
sleep 0.5
if e2e_alive ed; then ok 1 "C-q quits"; e2e_show ed; else ok 0 "C-q quits"; fi
done_testing
