#!/bin/sh
# The workflows the issue 6 audit added, in the real editor under tmux
# (TERM=screen-256color, whose terminfo names no Alt/Ctrl arrows, so M-Right
# arrives as the raw sequence ESC [1;3C): subfield movement with M-Right,
# combining diacritics kept in their cell, an item's status changed in the
# Holdings tab, a search saved as a set and a job run on it with its report,
# and a bib deleted from the editor.  The CLI then checks the repository.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo
cli user add cataloger --role cataloger,cataloger-extended,inventory >/dev/null 2>&1
printf '=LDR  00000cam a2200000 a 4500\n=008  200101s2020    ch            000 0 chi d\n=245  10$a\347\264\205\346\250\223\345\244\242 /$cYaq\314\203ub Z\314\243ahir.\n' > "$E2E_DIR/cjk.mrk"
cli import --quiet "$E2E_DIR/cjk.mrk" >/dev/null 2>&1
CJK=$(cli search 'yaqub' 2>/dev/null | awk 'NR == 1 { print $1 }')
like "$CJK" "^99[0-9]+1234$" "the CJK record was imported"

e2e_start ed -- edit "$CJK"
check "it opens" e2e_wait ed "Locked by you until"
check "the combining tilde stays on its q" e2e_wait ed "Yaq̃ub Ẓahir."
# to the 245, then M-Right twice: from $$a to $$c; type there
e2e_keys ed PgUp Down Down Down M-Right M-Right
e2e_type ed "X"
check "M-Right (ESC [1;3C) moved by subfield, no stray characters typed" e2e_wait ed '$$cXYaq̃ub'
e2e_keys ed C-z M-r
check "undone, then saved and released" e2e_wait ed "View Only"
e2e_stop ed

# ---- an item's status in the Holdings tab ----
e2e_start ed -- edit "$MMS1"
check "the bib opens" e2e_wait ed "Locked by you until"
e2e_keys ed M-4 a
e2e_wait ed "library code (852" && e2e_keys ed C-u && e2e_type ed MAIN && e2e_keys ed Enter
e2e_wait ed "Location code (852" && e2e_keys ed C-u && e2e_type ed STACKS && e2e_keys ed Enter
e2e_wait ed "Call number (852" && e2e_keys ed C-u Enter
check "holdings added" e2e_wait ed "Added holdings 22"
e2e_keys ed i
e2e_wait ed "barcode:" && e2e_type ed 39000000000011 && e2e_keys ed Enter
e2e_wait ed "Description (e.g." && e2e_type ed v.1 && e2e_keys ed Enter
e2e_wait ed "Status (in place" && e2e_keys ed Enter
check "item added" e2e_wait ed "Added item 23"
e2e_keys ed e
check "e asks for the barcode, prefilled" e2e_wait ed "> 39000000000011"
e2e_keys ed Enter
e2e_wait ed "Description (e.g." && e2e_keys ed Enter
e2e_wait ed "Status (in place" && e2e_keys ed C-u && e2e_type ed missing && e2e_keys ed Enter
check "the item is missing now" e2e_wait ed "v.1, missing"
inv=$(cli show --holdings "$MMS1" 2>&1)
like "$inv" "missing" "the CLI shows the item missing"

# ---- a set from a search, and a job on it ----
e2e_keys ed C-f
e2e_type ed 'title="how to program"'
e2e_keys ed Enter
check "hits" e2e_wait ed "2 hit(s)"
e2e_keys ed S
check "S asks for a set name" e2e_wait ed "as the set named:"
e2e_type ed progs
e2e_keys ed Enter Enter
check "the set is saved" e2e_wait ed "Saved itemized set progs (2 records)"
e2e_keys ed M-J
check "M-J offers the set" e2e_wait ed "> progs"
e2e_keys ed Enter
check "it asks for the job" e2e_wait ed "Job on progs (itemized)"
e2e_type ed "add-reminders text=Check the edition date=2026-12-15"
e2e_keys ed Enter
check "the report counts the records" e2e_wait ed "added          2"
rem=$(cli reminder list "$MMS2" 2>&1)
like "$rem" "Check the edition" "the job added the reminder with its whole text"
e2e_keys ed Escape

# ---- delete a bib without holdings ----
e2e_keys ed C-o
e2e_type ed "$MMS3"
e2e_keys ed Enter
check "the third bib opens" e2e_wait ed "Opened $MMS3"
e2e_keys ed M-D
check "delete asks first" e2e_wait ed "Delete bib $MMS3"
e2e_keys ed y
check "deleted, versions kept" e2e_wait ed "Deleted $MMS3"
out=$(cli show "$MMS3" 2>&1)
like "$out" "deleted" "the CLI reports the bib deleted"
e2e_keys ed C-q
done_testing
