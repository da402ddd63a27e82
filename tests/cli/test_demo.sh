#!/bin/sh
# test_demo.sh - `colophon demo` end to end through the real binary: the demo
# repository built from Debian's LoC records has what the summary says
# (counts, users, notes, reminders, assignments, sets, links, inventory);
# its Z39.50 server answers `external search` and Copy & Merge takes its
# record; a second run builds nothing and keeps the server; --stop stops it,
# a run after --stop or after the server was killed starts it again;
# --reset rebuilds; a directory holding anything else is refused untouched;
# two runs at once make one demo.
# Usage: test_demo.sh COLOPHON_BINARY
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
. "$(dirname "$0")/tap.sh"
examples=/usr/share/doc/idzebra-2.0/examples
if [ ! -r "$examples/marc21/sample-marc.gz" ]; then
    echo "1..0 # SKIP the LoC sample records (idzebra-2.0-examples) are not installed"
    exit 0
fi
tmp=$(mktemp -d)
unset COLOPHON_REPO
export XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
demo=$XDG_DATA_HOME/colophon/demo
stop_all() {
    for d in "$demo" "$tmp"/d-*; do
        [ -f "$d/serve.pid" ] && "$bin" demo --stop "$d" >/dev/null 2>&1
    done
    rm -rf "$tmp"
}
trap stop_all EXIT
c() { "$bin" --repo "$demo" "$@"; }
field() { printf '%s\n' "$1" | sed -n "s/^ *colophon $2 \([0-9]*\).*/\1/p" | head -n 1; }
# a process runs: it exists and is not a zombie (a stopped server whose
# parent has not reaped it yet serves nothing)
alive() {
    st=$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
    [ -n "$st" ] && [ "$st" != Z ]
}

# --- usage ---
o=$("$bin" demo --help); ok $? "demo --help exits 0"
like "$o" "Usage: colophon demo" "demo --help shows the usage"
like "$("$bin" --help)" "demo +build a demo repository" "colophon --help lists demo"
"$bin" demo --bogus >/dev/null 2>&1; is $? 2 "an unknown option is a usage error"
"$bin" demo a b >/dev/null 2>&1; is $? 2 "two directories are a usage error"
"$bin" demo --stop --reset >/dev/null 2>&1; is $? 2 "--stop with --reset is a usage error"

# --- the build, at the default place, without a terminal ---
start=$(date +%s%N)
out=$("$bin" demo </dev/null 2>"$tmp/err"); ok $? "demo without a terminal builds and exits 0"
end=$(date +%s%N)
echo "# built in $(((end - start) / 1000000)) ms"
like "$out" "^Colophon demo repository: $demo\$" "it names the default directory \$XDG_DATA_HOME/colophon/demo"
like "$(cat "$tmp/err")" "building the demo repository" "it says that it builds"
like "$out" "institution zone 1234: 36 bibs \(9 linked to the network zone\), 35 holdings, 38 items" \
    "summary: IZ bibs, links, holdings and items"
like "$out" "network zone 4801: 45 bibs" "summary: NZ bibs"
like "$out" "3 notes, 6 reminders, 2 assignments, 2 sets" "summary: notes, reminders, assignments, sets"
like "$out" "users: $(id -un) \(admin\), alice \(cataloger\), bob \(cataloger-extended\)" "summary: users"
like "$out" "Z39.50 target 'loc-sample': 127.0.0.1:[0-9]+/Default, 69 LoC records \(server pid [0-9]+" \
    "summary: the target and its server"
test -f "$demo/colophon-demo" && test -f "$demo/iz.db" && test -f "$demo/nz.db" &&
    test -f "$demo/loc-sample/iz.db"
ok $? "the directory holds the mark, the IZ, the NZ and the LoC repository"
ls -d "$XDG_DATA_HOME"/colophon/demo.* >/dev/null 2>&1; is $? 2 "no build directory is left beside it"
pid=$(cat "$demo/serve.pid" 2>/dev/null)
alive "$pid"; ok $? "the server runs with its pid in DIR/serve.pid"
brief=$(field "$out" merge); share=$(field "$out" link); dup=$(field "$out" delete)
linked=$(printf '%s\n' "$out" | sed -n 's/^ *colophon show \(99[0-9]*\)$/\1/p')
dupholdings=$(printf '%s\n' "$out" | sed -n 's/^ *colophon relink \(22[0-9]*\) --to \(99[0-9]*\)/\1 \2/p')
keeper=${dupholdings#* }; dupholdings=${dupholdings% *}
like "$brief $share $dup $linked $keeper $dupholdings" \
    "^99[0-9]+1234 99[0-9]+1234 99[0-9]+1234 99[0-9]+1234 99[0-9]+1234 22[0-9]+1234$" \
    "the summary names IZ MMS IDs worth trying"
is "$brief $share $keeper" "991000000161234 991000000151234 991000000011234" \
    "they are the MMS IDs README.md's tour uses"

# --- what is in it ---
is "$(c search --count 'linked=network')" 9 "9 IZ bibs are linked to the network zone"
is "$(c search --count --zone nz opera)" 8 "a keyword search of the NZ finds its 8 opera records"
like "$(c search opera)" "Die königin von Saba" "a keyword search of the IZ finds the opera records"
is "$(c search --count opera) $(c search --count --scope physical opera)" "2 1" \
    "scope physical leaves out the bib without holdings"
o=$(c show "$linked")
like "$o" "^001 +99[0-9]+4801" "the linked record's 001 is its network record's MMS ID"
like "$o" "^950 .*gift of the Friends of the Library" "and its local 950 survived the link"
o=$(c show --holdings "$keeper")
is "$(printf '%s\n' "$o" | grep -c '^ *22[0-9]*1234')" 2 "the duplicate's twin has two holdings records"
like "$o" "3900[0-9]{4}" "with items and their barcodes"
o=$(c queue)
like "$o" "Assigned to me \(1\)" "the queue: one record assigned to me"
like "$o" "from alice" "assigned by alice"
like "$o" "Assigned by me \(1\)" "the queue: one record I assigned (to bob)"
like "$o" "Overdue $dup" "the queue: an overdue reminder"
is "$(c reminder list | grep -c '^[0-9n]')" 6 "six reminders (five in the IZ, one in the NZ)"
like "$(c reminder list)" "closed +REVIEW +DONE" "one of them closed, with its own type and status"
like "$(c note list "$brief")" "Copy & Merge" "a note on the brief record"
o=$(c set list)
like "$o" "^opera +10 records" "set opera: ten records"
like "$o" "^not-linked +logical" "set not-linked: a logical set"
like "$(c user list)" "^bob +cataloger-extended" "user bob is cataloger-extended"

# --- the Z39.50 target: External search and Copy & Merge ---
like "$(c external list)" "^loc-sample +Z39.50 127.0.0.1:[0-9]+/Default" "the target is registered"
o=$(c external search loc-sample isbn=1562827545 2>&1); ok $? "external search of the demo target"
like "$o" "The late shift" "it finds the LC record by ISBN"
o=$(c merge "$brief" --from loc-sample --record 1 --yes 2>&1); ok $? "Copy & Merge of the LC record onto the brief record"
o=$(c show "$brief")
like "$o" "^650 .*Talk shows" "the merged record has the LC subjects"
like "$o" "^950 .*Brief record keyed" "and keeps its local 950"
c link "$share" --yes >/dev/null 2>&1; ok $? "the serial to share links to the network zone by OCLC number"
c relink "$dupholdings" --to "$keeper" --yes >/dev/null 2>&1; ok $? "the duplicate's holdings relink to its twin"
c delete "$dup" --yes >/dev/null 2>&1; ok $? "then the duplicate is deleted"

# --- again: nothing is built, the server stays ---
out2=$("$bin" demo --no-editor 2>"$tmp/err"); ok $? "demo again exits 0"
is "$(cat "$tmp/err")" "" "it builds nothing"
is "$(cat "$demo/serve.pid")" "$pid" "the same server still runs"
like "$(c show "$brief")" "^650 .*Talk shows" "the work done in the demo is kept"
like "$out2" "36 bibs" "the summary is printed again"

# --- --stop, restart, a killed server ---
o=$("$bin" demo --stop); ok $? "demo --stop exits 0"
like "$o" "Stopped the demo's Z39.50 server \(pid $pid\)" "it says which server it stopped"
alive "$pid"; is $? 1 "the server process is gone"
test -e "$demo/serve.pid"; is $? 1 "its pid file is gone"
c external search loc-sample isbn=1562827545 >/dev/null 2>&1; is $? 4 "the target no longer answers (exit 4)"
like "$("$bin" demo --stop)" "not running" "--stop again says it is not running"
"$bin" demo --no-editor >/dev/null 2>&1; ok $? "demo after --stop"
pid2=$(cat "$demo/serve.pid")
alive "$pid2"; ok $? "starts the server again"
c external search loc-sample 'title="late shift"' >/dev/null 2>&1; ok $? "and the target answers"
kill -9 "$pid2"; sleep 0.2
"$bin" demo --no-editor >/dev/null 2>&1; ok $? "demo after the server was killed"
pid3=$(cat "$demo/serve.pid")
test "$pid3" != "$pid2" && alive "$pid3"; ok $? "starts a new server in place of the dead one"
c external search loc-sample isbn=1562827545 >/dev/null 2>&1; ok $? "which answers"

# --- --reset ---
o=$("$bin" demo --reset --no-editor 2>&1); ok $? "demo --reset exits 0"
like "$o" "36 bibs \(9 linked" "it rebuilds the demo"
alive "$pid3"; is $? 1 "the old server was stopped"
like "$(c show "$brief")" "Brief record keyed" "the rebuilt demo has the brief record again"
c show "$brief" | grep -q "^650"; is $? 1 "without the merged subjects"
pid4=$(cat "$demo/serve.pid")
alive "$pid4"; ok $? "and a server of its own"
ls -d "$XDG_DATA_HOME"/colophon/demo.* >/dev/null 2>&1; is $? 2 "no old or build directory is left"

# --- refusals: anything that is not a demo is left alone ---
mkdir "$tmp/d-files"; echo precious >"$tmp/d-files/notes.txt"
o=$("$bin" demo --no-editor "$tmp/d-files" 2>&1); is $? 1 "a directory with other files is refused (exit 1)"
like "$o" "not touch it" "the message says it is left alone"
is "$(ls "$tmp/d-files")" "notes.txt" "and it is untouched"
"$bin" init --institution 5555 "$tmp/d-repo" >/dev/null
o=$("$bin" demo --reset --no-editor "$tmp/d-repo" 2>&1); is $? 1 "a real repository is refused, even with --reset"
is "$("$bin" --repo "$tmp/d-repo" search --count computer)" 0 "the repository still opens, empty"
test -f "$tmp/d-repo/colophon-demo"; is $? 1 "and was not turned into a demo"
"$bin" demo --stop "$tmp/d-repo" >/dev/null 2>&1; is $? 1 "--stop on a non-demo is refused"
COLOPHON_REPO=$tmp/d-repo "$bin" demo --no-editor >/dev/null 2>&1; is $? 1 "COLOPHON_REPO naming a real repository is refused"
mkdir "$tmp/d-empty"
"$bin" demo --no-editor "$tmp/d-empty" >/dev/null 2>&1; ok $? "an empty directory is built into"
test -f "$tmp/d-empty/colophon-demo"; ok $? "it holds the demo"

# --- two runs at once make one demo ---
"$bin" demo --no-editor "$tmp/d-race" >"$tmp/r1" 2>&1 &
p1=$!
"$bin" demo --no-editor "$tmp/d-race" >"$tmp/r2" 2>&1 &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
is "$s1 $s2" "0 0" "two demo runs at once both succeed"
is "$(cat "$tmp/d-race/serve.pid" | wc -l)" 1 "one server pid"
ls -d "$tmp"/d-race.* >/dev/null 2>&1; is $? 2 "no build directory is left"
is "$("$bin" --repo "$tmp/d-race" search --count 'linked=network')" 9 "one complete demo"
"$bin" demo --stop "$tmp/d-race" >/dev/null 2>&1
is "$(ps -eo args | grep -c "[d]emo --no-editor $tmp/d-race")" 0 "no stray server is left from the race"

done_testing
