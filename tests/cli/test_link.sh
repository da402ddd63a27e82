#!/bin/sh
# test_link.sh - `colophon link` and `colophon unlink` end to end through the
# real binary: the LoC sample records imported into the IZ and the NZ (so
# each record has its network twin, found by OCLC number, ISBN or LCCN), a
# second NZ copy of one for a multi-match, an IZ-only record to contribute;
# Share with Network's decisions (one OCLC match, only weaker matches,
# several, none), --to, --contribute, what a linked record shows and how
# `edit` saves it, unlink, revert of the link, the refusals (usage, role,
# lock, duplicate, delete), --queue and --refresh, and the link-to-nz job
# through `colophon set` / `colophon job` when those verbs exist (with a
# kill -9 and `job resume`).
# Usage: test_link.sh COLOPHON_BINARY
set -u
bin=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
loc=/usr/share/doc/idzebra-2.0/examples
repo=$tmp/repo
c() { "$bin" --repo "$repo" "$@"; }
as() { u=$1; shift; "$bin" --repo "$repo" --user "$u" "$@"; }
# MMS IDs are handed out in order: the n-th bib of the IZ (1234) or the NZ (4801).
iz() { printf '99%09d1234' $((100000000 + $1)); }
nz() { printf '99%09d4801' $((100000000 + $1)); }
info() { c show --info "$1" | sed -n "s/^$2: *//p"; }
field() { c show --format mrk "$1" | grep "^=$2 " | head -n 1; }

# --- usage ---
o=$($bin link --help); ok $? "link --help exits 0"
like "$o" "Usage: colophon link" "link --help shows the usage"
o=$($bin unlink --help); ok $? "unlink --help exits 0"
$bin link >/dev/null 2>&1; is $? 2 "link without an MMS ID is a usage error"
$bin link a b >/dev/null 2>&1; is $? 2 "two MMS IDs are a usage error"
$bin link a --to b --contribute >/dev/null 2>&1; is $? 2 "--to with --contribute is a usage error"
$bin link a --to b --yes >/dev/null 2>&1; is $? 2 "--yes with --to is a usage error"
$bin link --queue a >/dev/null 2>&1; is $? 2 "--queue with an MMS ID is a usage error"
$bin unlink >/dev/null 2>&1; is $? 2 "unlink without an MMS ID is a usage error"
$bin unlink a b >/dev/null 2>&1; is $? 2 "unlink of two IDs is a usage error"

# --- the IZ and the NZ: the LoC records in both ---
c init --institution 1234 >/dev/null; ok $? "init"
c user add bob --role cataloger >/dev/null && c user add ivan --role inventory >/dev/null &&
    c user add carol --role cataloger-extended >/dev/null
ok $? "users bob (cataloger), ivan (inventory), carol (cataloger-extended)"
c config set link.local_tags 590 >/dev/null; ok $? "590 is a local field"
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
c import -q "$tmp/loc.mrc" 2>/dev/null; ok $? "the LoC sample in the IZ"
c import -q --zone nz "$tmp/loc.mrc" 2>/dev/null; ok $? "and in the NZ"
cat >"$tmp/nz-extra.mrk" <<'EOF'
=LDR  00000nas a2200000 a 4500
=008  920101c19929999onc   p       0   a0eng d
=022  0\$a1187-7081
=035  \\$a(OCoLC)ocm26244844
=245  00$aInfo Canada (second network copy).

EOF
c import -q --zone nz "$tmp/nz-extra.mrk"; ok $? "a second NZ record with Info Canada's OCLC number"
cat >"$tmp/iz-only.mrk" <<'EOF'
=LDR  00000nam a2200000 a 4500
=008  261124s2026    xxu           000 0 eng d
=100  1\$aColophon, Ada.
=245  10$aA handbook of unlikely records /$cAda Colophon.
=260  \\$aNowhere :$bNo Press,$c2026.
=590  \\$aLocal copy note.
=910  \\$aLocal 910.

EOF
c import -q "$tmp/iz-only.mrk"; ok $? "an IZ-only record"
IW=$(iz 14) IWN=$(nz 14)     # ACD-3837 Internet world, OCLC 26273275
IC=$(iz 15)                  # ACD-3799 Info Canada, OCLC 26244844: two NZ records
BK=$(iz 6) BKN=$(nz 6)       # 77000348, ISBN 0839108826 and an LCCN, no OCLC number
MAIL=$(iz 17) MAILN=$(nz 17) # ACD-3665 Internet : mailing lists (ISBN)
ONLY=$(iz 25)

# --- candidates ---
o=$(c link --candidates "$IW"); ok $? "--candidates exits 0"
like "$o" "^$IW  \"Internet world\"  \[serial\]" "the record is named with its type"
like "$o" "1  $IWN  \"Internet world\", 1992  \[serial\]" "the NZ twin is the candidate"
like "$o" "by OCLC number 26273275$" "found by OCLC number"
is "$(info "$IW" Linked)" "no (a local record)" "--candidates links nothing"

# --- one OCLC match: asks on a terminal, --yes links, no terminal only lists ---
o=$(c link "$IW" </dev/null 2>"$tmp/err"); ok $? "no terminal, no --yes: exit 0"
like "$(cat "$tmp/err")" "give --yes to link to $IWN" "and says how to link"
is "$(info "$IW" Linked)" "no (a local record)" "nothing linked without --yes"
o=$(c link "$IW" --yes); ok $? "link --yes"
like "$o" "Linked $IW to network zone record $IWN\." "says what it linked"
like "$o" "its content before linking is version 1 \('colophon revert $IW 1' undoes the link\)" \
    "names the version kept"
is "$(info "$IW" Linked)" "$IWN" "show --info names the NZ record"
is "$(info "$IW" Version)" "2 (link)" "a new version, reason link"
is "$(field "$IW" 001)" "=001  $IWN" "its 001 holds the NZ MMS ID"
o=$(c search 'title="internet world"'); like "$o" "^$IW .*\[linked $IWN\]" "IZ search finds it, marked linked"
o=$(c search 'linked=network'); is "$o" "$(c search "mms=$IW")" "linked=network finds it"
o=$(c versions "$IW"); like "$o" "1 .* import" "versions: the content before"
like "$o" "2 .* link +\(current\)" "versions: the link"
o=$(c link "$IW" --yes 2>&1); is $? 1 "linking it again is refused"
like "$o" "already linked to $IWN" "and says to what"

# --- only weaker matches: a choice is needed ---
o=$(c link "$BK" </dev/null 2>"$tmp/err"); is $? 3 "only an ISBN match: exit 3"
like "$o" "$BKN .*" "the ISBN match is listed"
like "$o" "by ISBN 9780839108825 \(a weaker match\)" "marked as weaker"
like "$(cat "$tmp/err")" "only weaker matches" "and said so"
o=$(c link "$BK" --to "$BKN"); ok $? "--to links to the chosen one"
is "$(info "$BK" Linked)" "$BKN" "linked as chosen"

# --- several OCLC matches: multi-match ---
o=$(c link "$IC" --yes 2>"$tmp/err"); is $? 3 "two OCLC matches: exit 3 even with --yes"
is "$(printf '%s\n' "$o" | grep -c 'by OCLC number 26244844')" 2 "both candidates listed"
like "$(cat "$tmp/err")" "multi-match" "called a multi-match"
is "$(info "$IC" Linked)" "no (a local record)" "nothing linked"

# --- no match: contribute ---
o=$(c link "$ONLY" </dev/null 2>"$tmp/err"); is $? 1 "no candidate: exit 1"
like "$o" "no network zone record matches it" "says nothing matches"
like "$(cat "$tmp/err")" "link $ONLY --contribute" "and how to contribute"
o=$(c link "$ONLY" --contribute); ok $? "--contribute"
NEW=$(printf '%s\n' "$o" | sed -n 's/^Contributed .* as network zone record \([0-9]*\) and linked it\.$/\1/p')
like "$NEW" "^99[0-9]+4801$" "a new NZ MMS ID ending in 4801"
is "$(info "$ONLY" Linked)" "$NEW" "the IZ record is linked to it"
o=$(c show --format mrk "$NEW")
like "$o" "=245  10\\\$aA handbook of unlikely records" "the NZ record has the shared content"
if printf '%s\n' "$o" | grep -Eq '^=(590|910) '; then ok 1 "the local fields stay in the IZ"; else ok 0 "the local fields stay in the IZ"; fi
o=$(c show --format mrk "$ONLY")
like "$o" "=590  ..\\\$aLocal copy note\." "the IZ record keeps its 590"
like "$o" "=910  ..\\\$aLocal 910\." "and its 910"
is "$(info "$NEW" Version)" "1 (contribute)" "the NZ record's reason is contribute"

# --- saving a linked record: shared fields to the NZ, local ones to the IZ ---
c show --format mrk "$IW" | sed '/^$/d' >"$tmp/iw.mrk"
printf '=500  \\\\$aNote added through the IZ.\n=910  \\\\$aIZ local note.\n\n' >>"$tmp/iw.mrk"
o=$(c edit "$IW" --file "$tmp/iw.mrk" 2>&1); ok $? "edit --file of a linked record"
like "$(c show --format mrk "$IWN")" "=500  ..\\\$aNote added through the IZ\." "the shared 500 went to the NZ record"
if c show --format mrk "$IWN" | grep -q '^=910 '; then ok 1 "the 910 did not"; else ok 0 "the 910 did not"; fi
like "$(c show --format mrk "$IW")" "=910  ..\\\$aIZ local note\." "the IZ record has its 910"
is "$(info "$IWN" Version)" "2 (edit)" "the NZ record has a new version"
is "$(c search 'note added through')" "$(c search "mms=$IW")" "the IZ search finds the new words"

# --- refusals ---
o=$(as ivan link "$MAIL" --to "$MAILN" 2>&1); is $? 1 "an inventory operator cannot link"
like "$o" "needs role cataloger" "the role is named"
o=$(as ivan unlink "$IW" 2>&1); is $? 1 "nor unlink"
c show --format mrk "$MAIL" >"$tmp/mail.mrk"
as bob edit "$MAIL" --file "$tmp/mail.mrk" --keep-lock >/dev/null 2>&1; ok $? "bob keeps $MAIL open"
o=$(c link "$MAIL" --to "$MAILN" 2>&1); is $? 3 "a record locked by someone else: exit 3"
like "$o" "locked by bob" "the holder is named"
is "$(info "$MAIL" Linked)" "no (a local record)" "nothing linked while locked"
as bob release "$MAIL" >/dev/null; ok $? "bob releases it"
o=$(c link "$MAIL" --to "$IWN" 2>&1); is $? 1 "a network record already linked here is refused"
like "$o" "already linked to $IW" "naming the IZ record linked to it"
o=$(c link "$MAIL" --to "$MAIL" 2>&1); is $? 1 "an IZ record as --to is refused"
like "$o" "not a network zone bib" "and explained"
o=$(c link "$IWN" --to "$IWN" 2>&1); is $? 1 "an NZ record as MMSID is refused"
o=$(as carol delete "$BK" --yes 2>&1); is $? 1 "a linked record cannot be deleted"
like "$o" "unlink it first" "the message says to unlink first"
o=$(as carol delete "$BKN" --yes 2>&1); is $? 1 "nor the NZ record it is linked to"

# --- unlink, and revert undoing a link ---
o=$(c unlink "$BK"); ok $? "unlink"
like "$o" "Unlinked $BK from network zone record $BKN: it is a full local record again" "says so"
is "$(info "$BK" Linked)" "no (a local record)" "not linked any more"
is "$(field "$BK" 001)" "=001  $BK" "its own MMS ID back in 001"
is "$(info "$BK" Version)" "3 (unlink)" "a version, reason unlink"
o=$(c unlink "$BK" 2>&1); is $? 1 "unlinking an unlinked record is refused"
c link "$MAIL" --to "$MAILN" >/dev/null; ok $? "link $MAIL"
o=$(c revert "$MAIL" 1); ok $? "revert to the version before the link"
is "$(info "$MAIL" Linked)" "no (a local record)" "the revert undid the link"
is "$(field "$MAIL" 001)" "=001  $MAIL" "and its 001"

# --- queue and refresh ---
o=$(c link --queue); ok $? "--queue"
o=$(c link --refresh); ok $? "--refresh"
like "$o" "^0 linked record\(s\) re-synchronised" "nothing to re-synchronise"

# --- the link-to-nz job through the CLI, when `set` and `job` exist ---
if c set --help >/dev/null 2>&1 && c job --help >/dev/null 2>&1; then
    c set create unlinked --query 'linked!=network' >/dev/null 2>&1; ok $? "a set of the unlinked records"
    o=$(c job run link-to-nz --set unlinked 2>&1); ok $? "job run link-to-nz"
    o=$(c link --queue); like "$o" "^$IC  \"Info Canada\"" "the multi-match is queued"
    like "$o" "resolve: colophon link $IC --to NZMMSID" "with how to resolve it"
    c link "$IC" --to "$(nz 15)" >/dev/null; ok $? "resolved by --to"
    like "$(c link --queue)" "No multi-match waits" "the queue is empty"

    # A big job killed with kill -9 and resumed: no record linked twice, none lost.
    n=3000
    i=0
    while [ $i -lt $n ]; do
        printf '=LDR  00000nam a2200000 a 4500\n=008  261124s2026    xxu           000 0 eng d\n'
        printf '=035  \\\\$a(OCoLC)%d\n=245  00$aBigjobrecord number %d.\n\n' $((700000 + i)) $i
        i=$((i + 1))
    done >"$tmp/big.mrk"
    c import -q "$tmp/big.mrk" && c import -q --zone nz "$tmp/big.mrk"; ok $? "$n more records in both zones"
    c set create big --query bigjobrecord >/dev/null; ok $? "a set of them"
    "$bin" --repo "$repo" job run link-to-nz --set big >"$tmp/job.out" 2>&1 &
    pid=$!
    k=0
    while [ $k -lt 200 ]; do # until the job has done some records
        done_n=$(c job list 2>/dev/null | awk '$2 == "link-to-nz" && $3 == "big" { split($5, a, "/"); print a[1] }')
        [ "${done_n:-0}" -gt 0 ] && break
        sleep 0.02
        k=$((k + 1))
    done
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    line=$(c job list | awk '$2 == "link-to-nz" && $3 == "big"')
    JOB=$(printf '%s\n' "$line" | awk '{ print $1 }')
    like "$line" "interrupted|done" "job $JOB was killed (or had just finished)"
    if printf '%s\n' "$line" | grep -q interrupted; then
        o=$(c job resume "$JOB" 2>&1); ok $? "job resume"
    else
        ok 0 "# skip the job finished before the kill"
    fi
    o=$(c job show "$JOB")
    like "$o" "linked +$n$" "every record linked"
    if printf '%s\n' "$o" | grep -Eq 'failed|pending|skipped'; then ok 1 "no other outcome"; else ok 0 "no other outcome"; fi
    is "$(c search --count 'bigjobrecord AND linked=network')" "$n" "linked=network finds all of them"
    o=$(c versions "$(c search 'title="bigjobrecord number 1234"' | awk '{ print $1 }')")
    is "$(printf '%s\n' "$o" | grep -c ' link')" 1 "a record in the middle has one link version"
else
    ok 0 "# skip the set and job verbs are not built: the job is tested in tests/core/test_link.c"
fi

done_testing
