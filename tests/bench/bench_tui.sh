#!/bin/sh
# bench_tui.sh - the editor benchmark (SPEC §9; issue 6 item 9): start on a
# 1,000,000-record repository and show a record <= 150 ms, keystroke to
# updated screen <= 5 ms, resident memory while editing <= 64 MB.
#
# Usage: tests/bench/bench_tui.sh [BUILD_DIR] [RECORDS] [--drop-caches]
#        (defaults: build, 1000000)
#
# The repository is made once and kept: the file of RECORDS records that
# bench_repo.sh makes (gen_records over the Library of Congress samples)
# imported into tests/bench/data/tui-bench-RECORDS/repo, about a minute and
# 2.5 GB at 1M; set BENCH_TUI_REPO=DIR to use another repository made the
# same way.  Then bench_tui runs the real `colophon edit` on the middle
# record in a pseudo-terminal (120x40, TERM=xterm-256color):
#   start   21 processes, warm page cache (after one unmeasured run): time
#           from fork+exec to the last byte of the first frame, which must
#           hold the record's title (the repository files are read into the
#           page cache first); with --drop-caches (root), at the end, also
#           5 runs each after `echo 3 > /proc/sys/vm/drop_caches` -- this
#           empties the page cache of everyone on the machine, hence a flag;
#   keys    200 keys of each kind in one session: typing into a field,
#           arrows, switching tabs, running the query "history" (43k hits)
#           and paging its hits; each timed from the write to the last byte
#           of the editor's answer, and inside the editor
#           (COLOPHON_TRACE_KEYS): handling, building, drawing;
#   memory  the editor's VmHWM at the end of the session.
# Then the Search tab alone with heavier queries: `music` (271k hits),
# the phrase `title="history of music"` (14k hits, the slowest kind to
# run) and `ocolc` (a word of every record: 1M hits, the longest count).
# The session releases the record without saving: the repository is left
# as it was.  Prints figures with the load average; never asserts timings.
set -eu
cd "$(dirname "$0")/../.."
drop=
pos=
for arg in "$@"; do
    case $arg in
    --drop-caches) drop=--drop-caches ;;
    -*) echo "usage: tests/bench/bench_tui.sh [BUILD_DIR] [RECORDS] [--drop-caches]" >&2; exit 2 ;;
    *) pos="$pos $arg" ;;
    esac
done
# shellcheck disable=SC2086 # BUILD_DIR and RECORDS: no spaces
set -- $pos
build=${1:-build}
n=${2:-1000000}
data=tests/bench/data
bin=$build/cli/colophon
ex=/usr/share/doc/idzebra-2.0/examples
mkdir -p "$data"

for prog in "$bin" "$build/tests/bench/bench_tui"; do
    [ -x "$prog" ] || { echo "bench_tui: $prog is missing (build first: ninja -C $build)" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "bench_tui: sqlite3 is missing (apt install sqlite3)" >&2; exit 2; }

repo=${BENCH_TUI_REPO:-$data/tui-bench-$n/repo}
if [ ! -s "$repo/iz.db" ]; then
    # The templates and the file, as bench_repo.sh makes them (shared with it).
    if [ ! -s "$data/templates.mrc" ]; then
        zcat "$ex/marc21/sample-marc.gz" >"$data/loc-sample.mrc"
        $bin convert -q --to-charset utf8 "$data/loc-sample.mrc" "$data/t1.mrc"
        zcat "$ex/marcxml/collection-opera-43.xml.gz" >"$data/opera.xml"
        $bin convert -q "$data/opera.xml" "$data/t2.mrc"
        zcat "$ex/marcxml/collection-2.xml.gz" >"$data/c2.xml"
        $bin convert -q "$data/c2.xml" "$data/t3.mrc"
        $bin convert -q "$ex/marcxml/collection-sandburg-1.xml" "$data/t4.mrc"
        cat "$data/t1.mrc" "$data/t2.mrc" "$data/t3.mrc" "$data/t4.mrc" >"$data/templates.mrc"
    fi
    file="$data/bench-$n.mrc"
    [ -s "$file" ] || [ -x "$build/tests/bench/gen_records" ] ||
        { echo "bench_tui: $build/tests/bench/gen_records is missing (ninja -C $build)" >&2; exit 2; }
    [ -s "$file" ] || "$build/tests/bench/gen_records" "$data/templates.mrc" "$n" "$file" --target-bytes 1330
    echo "bench_tui: importing $n records into $repo (once; about a minute at 1M)" >&2
    rm -rf "$repo"
    mkdir -p "$(dirname "$repo")"
    "$bin" --user bench init --institution 1234 "$repo" >/dev/null
    "$bin" --repo "$repo" --user bench import "$file" >/dev/null 2>"$repo.import.err" || {
        echo "bench_tui: the import failed:" >&2
        tail -5 "$repo.import.err" >&2
        rm -rf "$repo"
        exit 1
    }
fi

mms=$(sqlite3 "$repo/iz.db" "SELECT mms FROM bib WHERE id = (SELECT max(id) / 2 FROM bib)")
[ -n "$mms" ] || { echo "bench_tui: no records in $repo" >&2; exit 1; }
# A lock left by an interrupted run of this benchmark (user bench) would
# make the editor View Only; release it.
"$bin" --repo "$repo" --user bench release "$mms" >/dev/null 2>&1 || true

echo "repository: $repo ($(sqlite3 "$repo/iz.db" "SELECT count(*) FROM bib") records)"
# Warm means warm: the whole repository in the page cache (paging hits reads
# records never read before; from disk that is the disk's figure, not ours).
cat "$repo"/*.db >/dev/null
"$build/tests/bench/bench_tui" $drop "$bin" "$repo" "$mms"

# --drop-caches left the cache cold: warm it again for the searches.
[ -z "$drop" ] || cat "$repo"/*.db >/dev/null
for q in music 'title="history of music"' ocolc; do
    echo
    echo "Search tab, query $q:"
    "$build/tests/bench/bench_tui" --no-start --keys 40 --query "$q" "$bin" "$repo" "$mms" |
        grep -E '^(search:|keystroke|inside|peak RSS, whole)'
done
