#!/bin/sh
# A record whose data holds ESC sequences (colour, clear screen) is shown
# with the ESC as a visible symbol: the terminal neither changes colour nor
# clears.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo
esc=$(printf '\033')
# 500: an OSC (set the window title, BEL-terminated), a C1 CSI (U+009B,
# which an 8-bit terminal takes as ESC [) and a bidi override (U+202E RLO,
# which would show "exe.png" as "gnp.exe").
printf '=LDR  00000nam a2200000 a 4500\n=008  200101s2020    xxu           000 0 eng d\n=245  10$aDanger %s[41mRED%s[2J%s[0m title\n=500  \\\\$aOSC %s]0;pwned\007 C1 \302\2332J RLO \342\200\256gnp.exe\n' \
    "$esc" "$esc" "$esc" "$esc" > "$E2E_DIR/esc.mrk"
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
check "OSC, BEL, C1 and the bidi override drawn as symbols" e2e_wait e "OSC ␛]0;pwned␇ C1 �2J RLO �gnp.exe"
case $screen in
    *"${esc}]0;"* | *"$(printf '\302\233')"* | *"$(printf '\342\200\256')"*)
        ok 1 "no OSC, C1 control or bidi override reaches the terminal" ;;
    *) ok 0 "no OSC, C1 control or bidi override reaches the terminal" ;;
esac
check "the screen was not cleared: the leader is still shown" e2e_wait e "LDR "
check "nor the title bar" e2e_wait e "Danger"
e2e_keys e C-q
done_testing
