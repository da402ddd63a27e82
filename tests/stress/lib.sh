# lib.sh - what the stress and crash scripts share (sourced, POSIX sh):
# building a repository of generated records with holdings, items, a network
# zone and catalogers, and the consistency checks run after them.
#
# Needs $bin (the colophon binary) and $gen (tests/bench/gen_records).
# MMS IDs are handed out in order, so the n-th bib, holdings record and item
# of a fresh institution zone 1234 are known without asking (bibid etc.).

bibid() { printf '99%09d1234' $((100000000 + $1)); }
holdid() { printf '22%09d1234' $((100000000 + $1)); }
itemid() { printf '23%09d1234' $((100000000 + $1)); }
nzid() { printf '99%09d4801' $((100000000 + $1)); }
now_ns() { date +%s%N; }
random() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }
rand() { echo $(($(random) % $1 + 1)); } # 1..N
# sqlite3 with a busy timeout: the checks read while nothing else writes,
# but a check must never fail because a reader met a checkpoint.
db() { sqlite3 -cmd '.timeout 10000' "$1/iz.db" "$2"; }
nzdb() { sqlite3 -cmd '.timeout 10000' "$1/nz.db" "$2"; }

# stress_files DIR N HOLDINGS NZ: DIR/bibs.mrc (N bibs from the Library of
# Congress sample, each with its own 001 bench%09d, OCLC number and ISBN),
# DIR/holdings.mrk (HOLDINGS holdings records, one on each of the first
# HOLDINGS bibs, with two items each), DIR/nz.mrc (the first NZ of the bibs:
# each has exactly one network record with its OCLC number).
stress_files() {
    _d=$1
    # The 24th LoC record has 00X fields with indicators (another MARC
    # format); the 23 others are clean MARC 21, so saves see real records.
    zcat /usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz >"$_d/loc.mrc"
    "$bin" convert -q --to-charset utf8 "$_d/loc.mrc" "$_d/loc.mrk" 2>/dev/null
    awk 'BEGIN { RS = ""; ORS = "\n\n" } NR != 24' "$_d/loc.mrk" >"$_d/templates.mrk"
    "$gen" "$_d/templates.mrk" "$2" "$_d/bibs.mrc" 2>/dev/null || return 1
    "$gen" "$_d/templates.mrk" "$4" "$_d/nz.mrc" 2>/dev/null || return 1
    awk -v n="$3" 'BEGIN {
        for (i = 1; i <= n; i++) {
            printf "=LDR  00000nx  a2200000un 4500\n=001  sh%d\n=004  bench%09d\n", i, i
            printf "=008  2611240u    8   4001aaeng0000000\n"
            printf "=852  0\\$bMAIN$cSTACKS$hQA%d .S7\n", i
            printf "=876  \\\\$pS%07da$3v.1\n=876  \\\\$pS%07db$3v.2\n\n", i, i
        }
    }' >"$_d/holdings.mrk"
}

# stress_repo REPO DIR: a repository with the files of stress_files, the
# catalogers of the stress run with their roles, a normalization rule
# 'stress' and lock.timeout LOCK_TIMEOUT (default 5s).
stress_repo() {
    _r=$1 _d=$2
    "$bin" --user alice init --institution 1234 "$_r" >/dev/null || return 1
    c() { "$bin" --repo "$_r" --user alice "$@"; }
    c import -q --zone nz "$_d/nz.mrc" >/dev/null 2>&1 || return 1
    c import -q "$_d/bibs.mrc" >/dev/null 2>&1 || return 1
    c import -q "$_d/holdings.mrk" >/dev/null 2>&1 || return 1
    for u in ed1 ed2 ed3 link1; do c user add $u --role cataloger >/dev/null || return 1; done
    for u in inv1 inv2; do c user add $u --role inventory >/dev/null || return 1; done
    c user add mgr1 --role cataloger-extended >/dev/null || return 1
    c user add copy1 --role cataloger-extended >/dev/null || return 1
    c config set lock.timeout "${LOCK_TIMEOUT:-5s}" >/dev/null || return 1
    printf '%s\n' 'rule "stress" when (not exists "590.a.Stress normalized") then' \
        'addField "590.a.Stress normalized" end' | c rule add stress --file - >/dev/null
}

# A record's content as a hash: its .mrk text without the leader (whose
# lengths the encoder recomputes) and 005 (which every save restamps).
mrk_hash() { grep -v '^=LDR\|^=005' | sha1sum | cut -c1-16; }

# stress_check REPO: the repository's invariants; prints one line per
# violation (nothing when consistent).
#   integrity_check and foreign_key_check of both zone files; every item in
#   exactly one existing holdings record, every holdings record on one
#   existing, undeleted bib; the bibs' holdings/items counts match; holdings
#   and items are all still there (EXPECT_HOLDINGS, EXPECT_ITEMS if set);
#   every bib's history is versions 1..version-1; no NZ record linked twice;
#   the full-text index passes its own integrity check.
stress_check() {
    _r=$1
    for _z in iz nz; do
        _o=$(sqlite3 -cmd '.timeout 10000' "$_r/$_z.db" 'PRAGMA integrity_check' 2>&1)
        [ "$_o" = ok ] || echo "$_z.db integrity_check: $_o" | head -5
        _o=$(sqlite3 -cmd '.timeout 10000' "$_r/$_z.db" 'PRAGMA foreign_key_check' 2>&1)
        [ -z "$_o" ] || echo "$_z.db foreign_key_check: $_o" | head -5
    done
    db "$_r" "
SELECT 'item ' || i.mms || ' in missing holdings ' || i.holding
  FROM item i LEFT JOIN holding h ON h.id = i.holding WHERE h.id IS NULL;
SELECT 'holdings ' || h.mms || ' on missing or deleted bib ' || h.bib
  FROM holding h LEFT JOIN bib b ON b.id = h.bib WHERE b.id IS NULL OR b.deleted_at IS NOT NULL;
SELECT 'bib ' || b.mms || ' counts ' || b.holdings || '/' || b.items || ' but has '
       || (SELECT count(*) FROM holding h WHERE h.bib = b.id) || '/'
       || (SELECT count(*) FROM item i JOIN holding h ON h.id = i.holding WHERE h.bib = b.id)
  FROM bib b
 WHERE b.holdings != (SELECT count(*) FROM holding h WHERE h.bib = b.id)
    OR b.items != (SELECT count(*) FROM item i JOIN holding h ON h.id = i.holding WHERE h.bib = b.id);
SELECT 'bib ' || b.mms || ' at version ' || b.version || ' has history ' || count(v.number)
       || ' (' || ifnull(min(v.number), 0) || '..' || ifnull(max(v.number), 0) || ')'
  FROM bib b LEFT JOIN version v ON v.mms = b.mms GROUP BY b.id
HAVING count(v.number) != b.version - 1 OR ifnull(max(v.number), 0) != b.version - 1;
SELECT 'holdings ' || h.mms || ' at version ' || h.version || ' has history ' || count(v.number)
  FROM holding h LEFT JOIN version v ON v.mms = h.mms GROUP BY h.id
HAVING count(v.number) != h.version - 1 OR ifnull(max(v.number), 0) != h.version - 1;
SELECT 'network record ' || linked || ' linked by ' || count(*) || ' bibs'
  FROM bib WHERE linked IS NOT NULL GROUP BY linked HAVING count(*) > 1;
INSERT INTO bib_fts(bib_fts, rank) VALUES ('integrity-check', 0);
" 2>&1 | sed 's/^Error:/bib_fts integrity-check: Error:/'
    if [ -n "${EXPECT_HOLDINGS:-}" ]; then
        _o=$(db "$_r" "SELECT count(*) || '/' || (SELECT count(*) FROM item) FROM holding")
        [ "$_o" = "$EXPECT_HOLDINGS/$EXPECT_ITEMS" ] ||
            echo "holdings/items $_o, expected $EXPECT_HOLDINGS/$EXPECT_ITEMS"
    fi
    sqlite3 -cmd '.timeout 10000' "$_r/iz.db" "ATTACH '$_r/nz.db' AS nz;
SELECT 'bib ' || b.mms || ' linked to missing network record ' || b.linked FROM main.bib b
 WHERE b.linked IS NOT NULL AND b.deleted_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM nz.bib n WHERE n.mms = b.linked AND n.deleted_at IS NULL);"
}

# stress_holdings_004 REPO: every holdings record's 004 names its bib.
stress_holdings_004() {
    db "$1" "SELECT h.mms || ' ' || b.mms FROM holding h JOIN bib b ON b.id = h.bib" |
        while read -r _h _b; do
            _f=$("$bin" --repo "$1" --user alice show --format mrk "$_h" | sed -n 's/^=004  //p')
            [ "$_f" = "$_b" ] || echo "holdings $_h is on bib $_b but its 004 says '$_f'"
        done
}
