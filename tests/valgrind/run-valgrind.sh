#!/bin/sh
# run-valgrind.sh - every CLI verb under valgrind memcheck on a small
# repository (the Debian LoC sample in both zones, a holdings record with an
# item, a second user), each run failing on any memory error or any
# definitely or indirectly lost block.  Memory still reachable at exit
# (libyaz's, ICU's and SQLite's caches) is not a leak and is not counted.
#
# Usage: tests/valgrind/run-valgrind.sh COLOPHON_BINARY [WORKDIR]
# Prints one TAP line per verb run and ends with "N passed, N failed";
# exit status 1 when any run reported an error (its log is kept in
# WORKDIR/logs/, default a temporary folder that is removed otherwise).
# Slow by nature (each run costs 1-5 s): not part of `meson test`; run it
# before a release and after changing who owns what memory.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=${2:-$(mktemp -d)}
keep=${2:+1}
mkdir -p "$work/logs"
. "$(dirname "$0")/../cli/tap.sh"
if ! command -v valgrind >/dev/null 2>&1; then
    echo "1..0 # SKIP valgrind not installed"
    exit 0
fi
export COLOPHON_REPO="$work/repo"
unset COLUMNS
loc=/usr/share/doc/idzebra-2.0/examples
n=0
vg() { # DESCRIPTION ARGS... : run colophon ARGS under memcheck (stdin from $VG_IN or /dev/null)
    desc=$1
    shift
    n=$((n + 1))
    log="$work/logs/$n.log"
    valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect --error-exitcode=99 --log-file="$log" \
        "$bin" "$@" <"${VG_IN:-/dev/null}" >"$work/logs/$n.out" 2>&1
    rc=$?
    if [ "$rc" -ne 99 ] && [ ! -s "$log" ]; then
        ok 0 "$desc (exit $rc)"
    else
        ok 1 "$desc: memcheck reported errors (log $log)"
        sed 's/^/#   /' "$log" | head -n 30
    fi
}

rm -rf "$work/repo"
zcat "$loc/marc21/sample-marc.gz" >"$work/loc.mrc"
b1=991000000011234 b2=991000000021234 b3=991000000031234 b4=991000000041234
nz4=991000000044801 nz5=991000000054801
vg "init" init --institution 1234
vg "import (ISO 2709, MARC-8)" import -q "$work/loc.mrc"
vg "import --zone nz" import -q --zone nz "$work/loc.mrc"
cat >"$work/hold.mrk" <<EOF
=LDR  00000nx  a2200000un 4500
=004  $b1
=008  2411240u    8   4001uueng0000000
=852  0\\\$aMAIN\$bSTACKS\$hQA76
=876  \\\\\$pVG-0001\$3v.1
EOF
vg "import (holdings with an item)" import -q "$work/hold.mrk"
vg "import --match oclc" import -q --match oclc "$work/loc.mrc"
vg "convert" convert "$work/loc.mrc" "$work/loc.xml"
vg "lint" lint "$work/loc.mrc"
vg "search" search 'title=computer OR author=smith'
vg "search --count, identifiers" search --count 'isbn=0306406152 OR oclc=123 OR NOT keyword=zzz'
vg "search (malformed)" search '((title='
vg "show" show "$b1"
vg "show --info" show --info "$b1"
vg "show --holdings" show --holdings "$b1"
vg "show --format marcxml" show --format marcxml "$b1"
vg "export" export --query computer "$work/out.mrk"
vg "export --with-holdings json" export --with-holdings "$b1" "$work/out.json"
"$bin" show --format mrk "$b2" | sed 's/^=245  \(..\)\$a/=245  \1$aEdited: /' >"$work/b2.mrk"
vg "edit --file" edit --file "$work/b2.mrk" "$b2"
vg "versions" versions "$b2"
vg "versions --diff" versions "$b2" --diff 1 2
vg "revert" revert "$b2" 1
hold=$("$bin" show --holdings "$b1" | sed -n 's/^ *\(22[0-9]*1234\).*/\1/p' | head -n 1)
vg "relink holdings" relink --yes "$hold" --to "$b3"
vg "link --candidates" link --candidates "$b4"
vg "link --to" link --to "$nz4" "$b4"
vg "link --refresh" link --refresh "$b4"
vg "unlink" unlink "$b4"
vg "merge (Copy & Merge)" merge --yes "$b4" --from "$nz5"
vg "merge --overlay --dry-run" merge --dry-run --overlay "$b4" --from "$nz5"
vg "note add" note add "$b1" "a note"
vg "note list" note list "$b1"
vg "note delete" note delete 1
"$bin" user add vgcat --role cataloger >/dev/null
vg "user add" user add vgext --role cataloger-extended
vg "user list" user list
vg "user grant" user grant vgext --role inventory
vg "user revoke" user revoke vgext --role inventory
VG_IN="$work/pw" && echo 'vg-secret-1' >"$VG_IN"
vg "user passwd" user passwd vgcat
VG_IN=""
vg "assign" assign "$b1" --to vgcat --note "please check"
vg "assign --list" assign --list
vg "queue" --user vgcat queue
vg "assign --release" --user vgcat assign --release "$b1"
vg "release" release "$b1"
vg "reminder add" reminder add "$b1" --text "check it" --due 2020-01-01
vg "reminder list" reminder list --overdue
vg "reminder edit" reminder edit 1 --text "checked"
vg "reminder types add" reminder types add URGENT Urgent
vg "reminder delete" reminder delete 1
vg "set create --query" set create s1 --query computer
vg "set create --logical" set create s2 --logical --query computer
vg "set show --members" set show s1 --members
vg "set list" set list
printf 'rule "r" when (exists "245") then addField "910.a.vg" end\n' >"$work/r.rule"
vg "rule add" rule add r --file "$work/r.rule"
vg "rule list" rule list
vg "rule show" rule show r
vg "rule test" rule test r "$b3"
vg "rule run" rule run r --set s1
vg "job run normalize" job run normalize --set s1 rule=r
vg "job run export" job run export --set s2 file="$work/job.mrk" format=mrk
vg "job run link-to-nz" job run link-to-nz --set s1
vg "job run add-reminders" job run add-reminders --set s1 date=2030-01-01 text=vg
vg "job list" job list
vg "job show --records" job show 1 --records
vg "job kinds" job kinds
vg "set delete" set delete s2
vg "config set" config set lock.timeout 90m
vg "config get" config get lock.timeout
vg "config list" config list
vg "external add" external add vgt localhost:1/db
vg "external list" external list
vg "external search (unreachable)" external search vgt 'title=x'
vg "external remove" external remove vgt
"$bin" show --format mrk "$b3" | grep -v '^=9\|^=0[0-9][0-9]' >/dev/null
vg "delete (refused: holdings)" delete --yes "$b3"
vg "delete" delete --yes 991000000201234
vg "serve (bad address)" serve --listen tcp:999.1.1.1:99999
vg "--help" --help
vg "no such verb" frobnicate
[ -n "$keep" ] || { [ "$TAP_FAILED" -eq 0 ] && rm -rf "$work"; }
echo "$((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
done_testing
