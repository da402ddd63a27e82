#!/bin/sh
# test_manpage.sh - docs/colophon.1 keeps up with the command: every verb of
# `colophon --help` has its section, every long option of a verb's --help
# appears in that verb's section (global options in GLOBAL OPTIONS), and
# groff renders the page without a warning.
# Usage: test_manpage.sh COLOPHON_BINARY MANPAGE
set -u
bin=$1
page=$2
. "$(dirname "$0")/tap.sh"
test -r "$page"; ok $? "the man page exists"

# the section of a verb: from its first .SS line to the next comment rule
section() {
    awk -v v="$1" '
        index($0, ".SS \"colophon " v " ") == 1 || $0 == ".SS \"colophon " v "\"" { on = 1 }
        on && /^\.\\" -----/ { exit }
        on { print }' "$page"
}
# the long options a help text defines: its Usage lines and its option lines
# (other verbs' options named in the prose do not count)
opts() {
    awk '/^Usage:/ { u = 1 } u && /^$/ { u = 0 } u || /^ {2,6}(-[A-Za-z0-9], +)?--[a-z]/' |
        sed -E 's/^ +((-[A-Za-z0-9], +)?--[a-z][a-z0-9-]*).*/\1/' |
        grep -oE -- '--[a-z][a-z0-9-]+' | sort -u
}

verbs=$("$bin" --help | sed -n '/^Verbs:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
test -n "$verbs"; ok $? "colophon --help lists verbs"
for v in $verbs; do
    s=$(section "$v")
    if [ -z "$s" ]; then
        ok 1 "$v has a section in the man page"
        continue
    fi
    ok 0 "$v has a section in the man page"
    missing=""
    for o in $("$bin" "$v" --help | opts); do
        [ "$o" = --help ] && continue
        printf '%s\n' "$s" | sed 's/\\-/-/g' | grep -qF -- "$o" || missing="$missing $o"
    done
    is "$missing" "" "every option of '$v --help' is in its section"
done
global=$(awk '/^\.SH GLOBAL OPTIONS/ { on = 1; next } /^\.SH/ { on = 0 } on' "$page" | sed 's/\\-/-/g')
missing=""
for o in $("$bin" --help | sed -n '/^Global options:/,$p' | opts); do
    printf '%s\n' "$global" | grep -qF -- "$o" || missing="$missing $o"
done
is "$missing" "" "every global option is under GLOBAL OPTIONS"
if command -v groff >/dev/null 2>&1; then
    w=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    is "$w" "" "groff -man -ww renders it without warnings"
    out=$(groff -man -Tutf8 "$page" 2>/dev/null | col -b 2>/dev/null || groff -man -Tascii "$page")
    like "$out" "colophon demo" "the rendered page has the demo verb"
else
    echo "ok $((TAP_N + 1)) # SKIP groff is not installed"
    TAP_N=$((TAP_N + 1))
fi
done_testing
