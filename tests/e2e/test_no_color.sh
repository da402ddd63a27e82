#!/bin/sh
# NO_COLOR: no colour attribute reaches the terminal (bold, reverse and
# underline stay); without it colours are used.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

# Print the SGR parameters that set a colour (30-37, 38, 40-47, 48, 90-97, 100-107).
colour_params() {
    LC_ALL=C awk '{
        s = $0
        while (match(s, /\033\[[0-9;]*m/)) {
            n = split(substr(s, RSTART + 2, RLENGTH - 3), p, ";")
            for (i = 1; i <= n; i++) {
                v = p[i] + 0
                if ((v >= 30 && v <= 38) || (v >= 40 && v <= 48) ||
                    (v >= 90 && v <= 97) || (v >= 100 && v <= 107))
                    print v
            }
            s = substr(s, RSTART + RLENGTH)
        }
    }'
}

e2e_start c -- edit "$MMS1"
check "the record opens (colours on)" e2e_wait c "Locked by you until"
n=$(e2e_screen_esc c | colour_params | wc -l)
if [ "$n" -gt 0 ]; then ok 0 "without NO_COLOR colours are used"; else
    ok 1 "without NO_COLOR colours are used"; fi
e2e_keys c C-q
e2e_start nc -e NO_COLOR=1 -- edit "$MMS1"
check "the record opens under NO_COLOR" e2e_wait nc "Locked by you until"
e2e_keys nc M-1
e2e_type nc "computer"
e2e_keys nc Enter
check "a search shows hits" e2e_wait nc "13 hit(s)"
out=$(e2e_screen_esc nc | colour_params | sort -u | tr '\n' ' ')
is "$out" "" "no colour escape on the screen under NO_COLOR"
like "$(e2e_screen_esc nc)" "$(printf '\033')\\[[0-9;]*7" "reverse video is still used"
e2e_keys nc C-q
done_testing
