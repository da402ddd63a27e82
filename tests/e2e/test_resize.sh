#!/bin/sh
# The screen is drawn anew at each size (SIGWINCH).
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

e2e_start r -- edit "$MMS1"
check "the record opens at 80x24" e2e_wait r "Locked by you until"
last_line() { e2e_screen r | sed -n "$1p"; }
like "$(last_line 24)" "Opened|C-s Save" "the message line is line 24"
e2e_resize r 120 40
sleep 0.3
tries=0
while [ $tries -lt 50 ] && ! last_line 40 | grep -Eq "Opened|C-s Save"; do
    sleep 0.1; tries=$((tries + 1))
done
like "$(last_line 40)" "Opened|C-s Save" "line 40 holds the message line at 120x40"
like "$(last_line 1)" "^ How to program a computer {20,}991000000011234 IZ v1 Locked by you" \
    "the title bar spans the 120 columns"
like "$(last_line 2)" "LDR .{60,}Search|LDR .{60,}Srch" "the record pane is wider (tabs further right)"
e2e_resize r 60 20
tries=0
while [ $tries -lt 50 ] && ! last_line 20 | grep -Eq "Opened|C-s Save"; do
    sleep 0.1; tries=$((tries + 1))
done
like "$(last_line 20)" "Opened|C-s Save" "line 20 holds the message line at 60x20"
is "$(e2e_tmux display-message -p -t r '#{window_width}x#{window_height}')" 60x20 \
    "the window is 60x20"
like "$(last_line 2)" "Srch.*Rem" "the tab bar uses the short names at 60 columns"
check "the record is still there" e2e_wait r "245 10"
e2e_keys r C-q
done_testing
