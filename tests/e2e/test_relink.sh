#!/bin/sh
# Holdings & items and Relink in the real editor (SPEC §3.3, seed 000): give a
# bib two holdings records and items in the Holdings tab, relink one holdings
# to another bib through the Relink tab (preview, confirm), then the last one:
# the editor says the source has no holdings left and asks whether to delete
# it; it is kept.  An item moves between holdings the same way.  The CLI then
# shows where everything is.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

# unlike TEXT PATTERN description: the opposite of like
unlike() {
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then
        ok 1 "$3"
        printf '%s\n' "$1" | sed 's/^/#   /' | head -n 20
    else
        ok 0 "$3"
    fi
}

e2e_start ed -- --user cataloger edit "$MMS1"
check "the bib opens for editing" e2e_wait ed "Locked by you until"

# ---- Holdings & items: add two holdings records and items ----
e2e_keys ed M-4
check "the Holdings tab says the bib has none" e2e_wait ed "No holdings: this bib is found"
add_holdings() {
    e2e_keys ed a
    e2e_wait ed "library code (852" || return 1
    e2e_keys ed C-u
    e2e_type ed "$1"
    e2e_keys ed Enter
    e2e_wait ed "Location code (852" || return 1
    e2e_keys ed C-u
    e2e_type ed "$2"
    e2e_keys ed Enter
    e2e_wait ed "Call number (852" || return 1
    e2e_keys ed C-u
    e2e_type ed "$3"
    e2e_keys ed Enter
    e2e_wait ed "Added holdings 22"
}
add_item() {
    e2e_keys ed i
    e2e_wait ed "barcode:" || return 1
    e2e_type ed "$1"
    e2e_keys ed Enter
    e2e_wait ed "Description (e.g." || return 1
    e2e_type ed "$2"
    e2e_keys ed Enter
    e2e_wait ed "Status (in place" || return 1
    e2e_keys ed Enter
    e2e_wait ed "Added item 23"
}
check "a adds holdings MAIN / STACKS" add_holdings MAIN STACKS "QA76.6 .H6"
check "i adds item 39000000000011" add_item 39000000000011 v.1
check "i adds item 39000000000029" add_item 39000000000029 v.2
check "a adds holdings MAIN / REF" add_holdings MAIN REF "QA76.6 .H6 REF"
check "i adds item 39000000000037" add_item 39000000000037 ""
check "the tree shows both holdings" e2e_wait ed "2 holdings, 3 items"
inv=$(cli show --holdings "$MMS1" 2>&1)
like "$inv" "39000000000029" "the CLI lists the new items"
H1=$(printf '%s\n' "$inv" | grep -o '22[0-9]*1234' | sed -n 1p)
H2=$(printf '%s\n' "$inv" | grep -o '22[0-9]*1234' | sed -n 2p)
like "$H1 $H2" "^22[0-9]+1234 22[0-9]+1234$" "two holdings records: $H1 $H2"

# ---- Relink the first holdings to $MMS2 ----
e2e_keys ed M-3
check "the Relink tab lists what may move" e2e_wait ed "Relink: what moves?"
e2e_keys ed Enter
check "it asks for the target" e2e_wait ed "To which bib?"
e2e_type ed "$MMS2"
e2e_keys ed Enter
check "the preview names what moves" e2e_wait ed "Relink holdings $H1"
check "the preview lists the barcodes" e2e_wait ed "39000000000029"
e2e_keys ed Enter
check "it asks before relinking" e2e_wait ed "to $MMS2?"
e2e_keys ed y
check "the relink is done" e2e_wait ed "Relinked holdings $H1"
like "$(cli show --holdings "$MMS2" 2>&1)" "$H1" "the CLI shows $H1 under $MMS2"
like "$(cli versions "$MMS1" 2>&1)" "relink" "$MMS1 has a relink version"

# ---- An item moves from $H2 to $H1 ----
e2e_keys ed Escape
check "the next relink starts from the pick list" e2e_wait ed "Relink: what moves?"
e2e_keys ed Down Enter
check "the item is the source" e2e_wait ed "To which holdings?"
e2e_type ed "$H1"
e2e_keys ed Enter
check "the item preview" e2e_wait ed "Relink item"
e2e_keys ed Enter
e2e_wait ed "y yes / n no" >/dev/null
e2e_keys ed y
check "the item moved" e2e_wait ed "Relinked item"
like "$(cli show --holdings "$H1" 2>&1)" "39000000000037" "$H1 now holds 39000000000037"

# ---- The last holdings: no holdings left, keep or delete? ----
e2e_keys ed Escape
e2e_wait ed "Relink: what moves?" >/dev/null
e2e_keys ed Enter
e2e_wait ed "To which bib?" >/dev/null
e2e_type ed "$MMS2"
e2e_keys ed Enter
check "the preview warns the source will be empty" e2e_wait ed "will have no"
e2e_keys ed Enter
e2e_wait ed "y yes / n no" >/dev/null
e2e_keys ed y
check "the editor asks: delete the emptied bib?" e2e_wait ed "has no holdings left. Delete it?"
e2e_keys ed n
check "n keeps it" e2e_wait ed "Kept $MMS1"
info=$(cli show --info "$MMS1" 2>&1)
like "$info" "[Hh]oldings:? *0" "$MMS1 has no holdings"
unlike "$info" "[Dd]eleted" "$MMS1 is not deleted"
is "$(cli search --count --scope physical "mms=$MMS1" 2>&1)" 0 \
    "$MMS1 is not found under Physical titles"
is "$(cli search --count "mms=$MMS1" 2>&1)" 1 "$MMS1 is still found under All titles"
like "$(cli show --holdings "$MMS2" 2>&1)" "$H2" "$H2 is under $MMS2"

# ---- d deletes it afterwards ----
check "d is offered for the emptied source" e2e_wait ed "d delete source"
e2e_keys ed d
e2e_wait ed "Delete it?" >/dev/null
e2e_keys ed y
check "the source is deleted, the target shown" e2e_wait ed "Deleted $MMS1"
like "$(cli show --info "$MMS1" 2>&1)" "[Dd]eleted" "the CLI shows $MMS1 deleted"
e2e_keys ed C-q
done_testing
