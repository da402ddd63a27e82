#!/bin/sh
# test_relink.sh - `colophon relink` end to end through the real binary: the
# LoC sample records with holdings and items this script writes, previews,
# --dry-run, no terminal, --yes, targets by MMS ID / OCLC number / ISBN,
# items by barcode, the last holdings moved and the empty source deleted or
# kept, refusals (role, lock, linked, multi-match), and kill -9 during
# relinks: the repository stays consistent.
# Usage: test_relink.sh COLOPHON_BINARY
set -u
bin=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
loc=/usr/share/doc/idzebra-2.0/examples
repo=$tmp/repo
c() { "$bin" --repo "$repo" "$@"; }
as() { u=$1; shift; "$bin" --repo "$repo" --user "$u" "$@"; }
# MMS IDs are handed out in order: the n-th bib, holdings or item of the IZ.
bibid() { printf '99%09d1234' $((100000000 + $1)); }
holdid() { printf '22%09d1234' $((100000000 + $1)); }
itemid() { printf '23%09d1234' $((100000000 + $1)); }
info() { c show --info "$1" | sed -n "s/^$2: *//p"; }
have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
db() { sqlite3 -cmd '.timeout 5000' "$repo/iz.db" "$@"; }

# --- usage ---
o=$($bin relink --help); ok $? "relink --help exits 0"
like "$o" "Usage: colophon relink" "relink --help shows the usage"
$bin relink 221000000011234 >/dev/null 2>&1; is $? 2 "no --to is a usage error"
$bin relink --to 1 >/dev/null 2>&1; is $? 2 "no ID is a usage error"
$bin relink a b --to 1 >/dev/null 2>&1; is $? 2 "two IDs are a usage error"
$bin relink a --to 1 --yes --dry-run >/dev/null 2>&1; is $? 2 "--yes with --dry-run is a usage error"
$bin relink a --to 1 --zone xz >/dev/null 2>&1; is $? 2 "an unknown zone is a usage error"

# --- a repository: the 24 LoC records, holdings and items for some ---
c init --institution 1234 >/dev/null; ok $? "init"
c user add ivan --role inventory >/dev/null && c user add bob --role cataloger >/dev/null &&
    c user add carol --role cataloger-extended >/dev/null
ok $? "users ivan (inventory), bob (cataloger), carol (cataloger-extended)"
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
c import "$tmp/loc.mrc" >/dev/null 2>&1; ok $? "import the LoC sample"
cat >"$tmp/hold.mrk" <<'EOF'
=LDR  00000nx  a2200000un 4500
=001  h1
=004  77004773
=008  2611240u    8   4001aaeng0000000
=852  0\$bMAIN$cSTACKS$hQA76.9 .W6
=876  \\$p39001$3v.1$jin place
=876  \\$p39002$3v.2$jmissing

=LDR  00000nx  a2200000un 4500
=001  h2
=004  77004773
=008  2611240u    8   4001aaeng0000000
=852  0\$bMAIN$cREF$hQA76.9 .W6 ref
=876  \\$p39003

=LDR  00000nx  a2200000un 4500
=001  h3
=004  ACD-3665
=008  2611240u    8   4001aaeng0000000
=852  0\$bMAIN$cSTACKS$hTK5105.875
=876  \\$p39101$3c.1

=LDR  00000nx  a2200000un 4500
=001  h4
=004  72002565
=008  2611240u    8   4001aaeng0000000
=852  0\$bMAIN$cSTACKS$hB175
=876  \\$p39201

=LDR  00000nx  a2200000un 4500
=001  h5
=004  80082329
=008  2611240u    8   4001aaeng0000000
=852  0\$bMAIN$cSTACKS$hBS1430
=876  \\$p39301

EOF
o=$(c import "$tmp/hold.mrk" 2>&1); ok $? "import holdings with items"
like "$o" "holdings 5, items 6" "five holdings, six items"
A=$(bibid 7)       # 77004773 Computer science & technology (h1 with 2 items, h2)
B=$(bibid 14)      # ACD-3837 Internet world, OCLC 26273275
MAIL=$(bibid 17)   # ACD-3665 Internet : mailing lists, ISBN 0132896613 (h3)
H1=$(holdid 1) H2=$(holdid 2) H3=$(holdid 3) H4=$(holdid 4) H5=$(holdid 5)
is "$(info "$H1" Bib)" "$A" "h1 is on $A"

# --- what show --holdings gives the operator ---
o=$(c show "$A" --holdings)
like "$o" "$H1  MAIN / STACKS  QA76.9 .W6  2 item\(s\)" "show --holdings: holdings ID, library / location, call number"
like "$o" "$(itemid 2)  barcode 39002  v.2  missing" "show --holdings: item ID, barcode, description, status"

# --- preview only ---
o=$(c relink "$H1" --to '(OCoLC)ocm26273275' --dry-run 2>"$tmp/err"); ok $? "--dry-run exits 0"
like "$o" "^Relink holdings $H1 and its 2 item\(s\)" "the preview names the holdings"
like "$o" "to   $B  \"Internet world\"" "the preview names the target found by OCLC number"
like "$o" "target found by OCLC number 26273275" "the preview says how the target was found"
like "$o" "barcode 39001  v.1  in place" "the preview lists the items with barcodes"
like "$o" "$A keeps 1 holdings record\(s\):" "the preview says what the source keeps"
like "$o" "After: $A 1 holdings, 1 items; $B 1 holdings, 2 items." "the preview gives the counts after"
like "$(cat "$tmp/err")" "Dry run: nothing was relinked" "--dry-run says nothing was relinked"
o=$(c relink "$H1" --to 'oclc:26273275' </dev/null 2>"$tmp/err"); ok $? "no terminal and no --yes exits 0"
like "$(cat "$tmp/err")" "give --yes to relink" "without a terminal it only previews"
is "$(info "$H1" Bib)" "$A" "nothing moved after the previews"
is "$(info "$A" Version)" "1 (import)" "no version written by the previews"

# --- relink by OCLC number with --yes ---
o=$(as ivan relink "$H1" --to 'oclc:26273275' --yes); ok $? "relink --yes as ivan"
like "$o" "Relinked holdings $H1 and its 2 item\(s\) from $A to $B." "the result names both bibs"
like "$o" "Versions \(reason relink\): $A version 2, $B version 2, holdings $H1 version 2." "the result names the versions written"
is "$(info "$H1" Bib)" "$B" "the holdings are on the new bib"
is "$(c show "$H1" --format mrk | sed -n 's/^=004  //p')" "$B" "the MFHD's 004 names the new bib"
is "$(info "$A" Holdings)/$(info "$A" Items)" "1/1" "the source's counts"
is "$(info "$B" Holdings)/$(info "$B" Items)" "1/2" "the target's counts"
like "$(c show "$B" --holdings)" "barcode 39002" "the items came along"
o=$(c versions "$A"); like "$o" "2 .*ivan +relink +\(current\)" "versions of the source show ivan's relink"
o=$(c versions "$B"); like "$o" "2 .*ivan +relink" "versions of the target show the relink"
o=$(c versions "$H1"); like "$o" "2 .*ivan +relink" "versions of the holdings show the relink"
o=$(c versions "$A" --diff 1 2); ok $? "diff of the relink version"
is "$(printf '%s\n' "$o" | grep -c '^ *[-+~] ')" 0 "the bib's content is unchanged by the relink"

# --- by ISBN and MMS ID ---
o=$(c relink "$H1" --to 'isbn:0-13-289661-3' --yes); ok $? "relink by ISBN"
is "$(info "$H1" Bib)" "$MAIL" "ISBN-10 found the bib"
o=$(c relink "$H1" --to 9780132896610 --dry-run 2>&1); is $? 1 "bare ISBN-13 finding only the bib the holdings are on is refused"
like "$o" "finds only $MAIL, the bib holdings $H1 are already on" "and said so"
o=$(c relink "$H1" --to "$B" --yes); ok $? "relink back by MMS ID"
is "$(info "$H1" Bib)" "$B" "MMS ID found the bib"

# --- refusals ---
o=$(as bob relink "$H2" --to "$B" --yes 2>&1); is $? 1 "a cataloger without inventory is refused (exit 1)"
like "$o" "needs role inventory" "the refusal names the role"
o=$(c relink "$H2" --to "$A" --yes 2>&1); is $? 1 "relinking to the same bib is refused"
like "$o" "already belong to $A" "and says so"
o=$(c relink "$H2" --to 'oclc:999999999' --yes 2>&1); is $? 1 "an unknown OCLC number is refused"
like "$o" "no record in the IZ has OCLC number 999999999" "and named"
o=$(c relink "$A" --to "$B" --yes 2>&1); is $? 1 "a bib as ID is refused"
like "$o" "is a bibliographic record" "and explained"
o=$(c relink "$H2" --to "$B" --zone nz --yes 2>&1); is $? 1 "an IZ MMS ID with --zone nz is refused"
c export "$B" "$tmp/dup.mrk" >/dev/null && c import "$tmp/dup.mrk" >/dev/null 2>&1
DUP=$(bibid 25)
o=$(c relink "$H2" --to 26273275 --yes 2>"$tmp/err"); is $? 3 "a target matching two bibs is a conflict (exit 3)"
like "$o" "Candidates" "the candidates are listed"
like "$o" "$B  \"Internet world\", 1992  1 holdings  \(OCLC number 26273275\)" "with how they matched"
like "$o" "$DUP  \"Internet world\"" "both of them"
like "$(cat "$tmp/err")" "matches 2 records in the IZ" "the message counts them"
is "$(info "$H2" Bib)" "$A" "nothing moved on a refusal"
if [ $have_sqlite = 1 ]; then
    db "INSERT INTO lock (mms, user, since, seen, version) VALUES ('$B', 'bob', strftime('%s','now'), strftime('%s','now'), 1)"
    o=$(c relink "$H2" --to "$B" --yes 2>&1); is $? 3 "a target locked by someone else is a conflict"
    like "$o" "locked by bob" "the lock holder is named"
    like "$o" "^Relink holdings $H2" "the preview is still shown"
    db "DELETE FROM lock"
    is "$(info "$H2" Bib)" "$A" "nothing moved while locked"
else
    ok 0 "# skip sqlite3 not installed: lock refusal"
fi

# --- items ---
o=$(as ivan relink 39101 --to "$H2" --yes); ok $? "relink an item by barcode"
like "$o" "Relinked item $(itemid 4) from holdings $H3 to holdings $H2." "the result names the holdings"
like "$o" "holdings $H3 version 2, holdings $H2 version 2, $MAIL version [0-9]+, $A version [0-9]+" "versions on both holdings and both bibs"
like "$(c show "$H2" --holdings)" "barcode 39101  c.1  in place" "the item is on the other holdings"
is "$(info "$MAIL" Items)" "0" "the old bib lost the item"
o=$(c relink "$(itemid 4)" --to "$MAIL" --yes 2>&1); is $? 1 "an item to a bib is refused"
like "$o" "an item is relinked to a holdings record" "and explained"

# --- the last holdings ---
L=$(bibid 12)  # 72002565, h4 only
T=$(bibid 6)   # 77000348
o=$(as ivan relink "$H4" --to "$T" --yes --delete-empty-source 2>"$tmp/err"); is $? 1 "delete of the empty source refused for inventory alone (exit 1)"
like "$o" "$L will have no holdings left: it will be found only under All titles" "the preview warns that the source is left empty"
like "$o" "not deleted by you: deleting a bibliographic record needs role cataloger-extended" "the preview says ivan may not delete it"
like "$o" "$L has no holdings left" "the result says the source is empty"
like "$(cat "$tmp/err")" "cataloger-extended" "the delete refusal names the role"
is "$(info "$H4" Bib)" "$T" "the relink itself went through"
is "$(info "$L" Holdings)" "0" "the source has no holdings"
like "$(c show "$L" --holdings)" "has no holdings \(found under All titles only" "show says so"
is "$(c search --count "mms=$L")" 1 "the empty source is found under All titles"
is "$(c search --count --scope physical "mms=$L")" 0 "but not under Physical titles"
o=$(as carol delete --yes "$L"); ok $? "a cataloger-extended deletes the empty source"
is "$(info "$L" Deleted | cut -c1-3)" "yes" "the source is deleted"
o=$(c relink "$H4" --to "$L" --yes 2>&1); is $? 1 "a deleted bib is no target"
like "$o" "has been deleted" "and said so"
# the owner holds every role: --delete-empty-source deletes
L2=$(bibid 13)  # 80082329, h5 only
o=$(c relink "$H5" --to "$T" --yes --delete-empty-source); ok $? "relink and delete the empty source"
like "$o" "Deleted $L2; its versions are kept" "the empty source was deleted"
# a linked source: unlink first
if [ $have_sqlite = 1 ]; then
    o=$(c relink "$H5" --to "$A" --yes); ok $? "holdings onto A"
    o=$(c relink "$H2" --to "$T" --yes); ok $? "so that A keeps only h5"
    db "UPDATE bib SET linked = '991000000014801' WHERE mms = '$A'"
    o=$(c relink "$H5" --to "$T" --yes --delete-empty-source 2>&1); is $? 1 "a linked empty source is not deleted"
    like "$o" "unlink it first" "unlinking first is asked for"
    is "$(info "$A" Deleted)" "" "the linked source stays"
    db "UPDATE bib SET linked = NULL"
else
    ok 0 "# skip sqlite3 not installed: linked source"
fi

# --- on a terminal: asks, then offers keep or delete ---
if command -v script >/dev/null 2>&1; then
    o=$(printf 'n\n' | script -qec "$bin --repo $repo relink $H3 --to $B" /dev/null)
    like "$o" "Relink\? \[y/N\]" "on a terminal it asks"
    like "$o" "Nothing was relinked" "n keeps everything as it was"
    is "$(info "$H3" Bib)" "$MAIL" "nothing moved after n"
    o=$(printf 'y\nk\n' | script -qec "$bin --repo $repo relink $H3 --to $B" /dev/null)
    like "$o" "Keep it or delete it\? \[K/d\]" "the empty source: keep or delete"
    like "$o" "It is kept; 'colophon delete $MAIL' deletes it" "k keeps it"
    is "$(info "$MAIL" Deleted)" "" "kept"
    o=$(printf 'y\nd\n' | script -qec "$bin --repo $repo relink $H3 --to $MAIL" /dev/null)
    o=$(printf 'y\nd\n' | script -qec "$bin --repo $repo relink $H3 --to $B" /dev/null)
    like "$o" "Deleted $MAIL" "d deletes it"
else
    ok 0 "# skip script(1) not installed: terminal questions"
fi

# --- kill -9 during relinks ---
# After each kill: counts equal rows, every item on one holdings record,
# every holdings record on one live bib, versions without gaps, MFHD 004 and
# the holdings' bib in agreement, the file sound.  Prints "0 0 0 0 0 ok".
state() {
    db "SELECT (SELECT count(*) FROM bib b WHERE holdings != (SELECT count(*) FROM holding h WHERE h.bib = b.id) OR items != (SELECT count(*) FROM item i JOIN holding h ON h.id = i.holding WHERE h.bib = b.id)),
        (SELECT count(*) FROM item WHERE holding NOT IN (SELECT id FROM holding)),
        (SELECT count(*) FROM holding WHERE bib NOT IN (SELECT id FROM bib WHERE deleted_at IS NULL)),
        (SELECT count(*) FROM (SELECT mms, version FROM bib UNION ALL SELECT mms, version FROM holding) r WHERE r.version - 1 != (SELECT count(*) FROM version v WHERE v.mms = r.mms))" |
        tr '|' ' '
}
check_state() { # label
    s=$(state)
    m=$(c show "$H1" --format mrk | sed -n 's/^=004  //p')
    [ "$m" = "$(info "$H1" Bib)" ] || s="$s 004-disagrees"
    echo "$s $(db 'PRAGMA integrity_check')"
}
if [ $have_sqlite = 1 ]; then
    X=$(bibid 8) Y=$(bibid 9)
    o=$(c relink "$H1" --to "$X" --yes); ok $? "h1 onto X for the crash test"
    is "$(check_state)" "0 0 0 0 ok" "consistent before the crash test"
    # the other way to X or Y, an item of h1 to h2 and back
    relink_once() {
        if [ $(($1 % 3)) = 2 ]; then
            if [ "$(db "SELECT h.mms FROM item i JOIN holding h ON h.id = i.holding WHERE i.barcode = '39001'")" = "$H1" ]
            then echo "39001 $H2"; else echo "39001 $H1"; fi
        elif [ "$(info "$H1" Bib)" = "$X" ]; then echo "$H1 $Y"; else echo "$H1 $X"; fi
    }
    bad=0 killed=0 completed=0 n=0
    for d in 0 0.001 0.002 0.003 0.004 0.005 0.006 0.007 0.008 0.009 0.010 0.011 0.012 0.013 \
        0.014 0.015 0.016 0.018 0.020 0.022 0.025 0.030 0.035 0.040 0.050 0.002 0.004 0.006 \
        0.008 0.010 0.012 0.014 0.016 0.018 0.020 0.024 0.028 0.033 0.045 0.060; do
        n=$((n + 1))
        set -- $(relink_once $n)
        v0=$(db "SELECT sum(version) FROM bib")
        # the binary itself in the background (not a function: $! would be a subshell)
        "$bin" --repo "$repo" --user ivan relink "$1" --to "$2" --yes >/dev/null 2>&1 &
        pid=$!
        sleep "$d"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        if [ "$(db "SELECT sum(version) FROM bib")" = "$v0" ]; then killed=$((killed + 1))
        else completed=$((completed + 1)); fi
        st=$(check_state)
        [ "$st" = "0 0 0 0 ok" ] || { bad=$((bad + 1)); echo "# after kill $n ($1 -> $2, ${d}s): $st"; }
    done
    echo "# kill -9 at a delay: $completed relinks completed, $killed killed before their commit"
    is "$bad" 0 "consistent after every kill -9 at a delay"
    # strace kills it at its K-th write to the database files: inside the
    # transaction, between the WAL frames and the commit, deterministically
    if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
        bad=0 killed=0 completed=0 n=0
        # a relink writes about 16 times while opening (the -shm files), then
        # the WAL frames ending with the commit frame, then the checkpoint;
        # go on until a few kills came after the commit
        k=12
        while [ $k -le 150 ] && [ $completed -lt 4 ]; do
            k=$((k + 1))
            n=$((n + 1))
            set -- $(relink_once $n)
            v0=$(db "SELECT sum(version) FROM bib")
            strace -f -o /dev/null -e trace=pwrite64 -e inject=pwrite64:signal=KILL:when=$k \
                "$bin" --repo "$repo" --user ivan relink "$1" --to "$2" --yes >/dev/null 2>&1
            if [ "$(db "SELECT sum(version) FROM bib")" = "$v0" ]; then killed=$((killed + 1))
            else completed=$((completed + 1)); fi
            st=$(check_state)
            [ "$st" = "0 0 0 0 ok" ] || { bad=$((bad + 1)); echo "# after kill at write $k ($1 -> $2): $st"; }
        done
        echo "# kill -9 at the K-th write: $completed relinks completed, $killed killed before their commit"
        is "$bad" 0 "consistent after every kill -9 inside the transaction"
        ok $([ $killed -gt 0 ] && [ $completed -gt 0 ] && echo 0 || echo 1) "kills landed both before and after the commit"
    else
        ok 0 "# skip strace cannot run here: kills inside the transaction"
    fi
else
    ok 0 "# skip sqlite3 not installed: crash test"
fi

done_testing
