#!/bin/sh
# A record whose data holds ESC sequences (colour, clear screen) is shown
# with the ESC as a visible symbol: the terminal neither changes colour nor
# clears.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo
esc=$(printf '\033')
printf '=LDR  00000nam a2200000 a 4500\n=008  200101s2020    xxu           000 0 eng d\n=245  10$aDanger %s[41mRED%s[2J%s[0m title\n' \
    "$esc" "$esc" "$esc" > "$E2E_DIR/esc.mrk"
cli import --permissive --quiet "$E2E_DIR/esc.mrk" >/dev/null 2>&1
mms=$(cli search "title=danger" 2>/dev/null | awk 'NR == 1 { print $1 }')
like "$mms" "^99[0-9]+1234$" "the record with ESC bytes was imported"
e2e_start e -e NO_COLOR=1 -- edit "$mms"
check "it opens" e2e_wait e "Locked by you until"
check "ESC is drawn as the control picture" e2e_wait e "Danger ␛[41mRED␛[2J␛[0m title"
screen=$(e2e_screen_esc e)
case $screen in
    *"${esc}[41m"*) ok 1 "no red background reaches the terminal" ;;
    *) ok 0 "no red background reaches the terminal" ;;
esac
check "the screen was not cleared: the leader is still shown" e2e_wait e "LDR "
check "nor the title bar" e2e_wait e "Danger"
e2e_keys e C-q
done_testing
