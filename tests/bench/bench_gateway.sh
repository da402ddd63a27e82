#!/bin/sh
# bench_gateway.sh - the gateway import benchmark (issue 4 item 10):
# `colophon import --match oclc` of GATEWAY records into a repository of
# RECORDS records.
#
# Usage: tests/bench/bench_gateway.sh [BUILD_DIR] [RECORDS] [GATEWAY]
#        (defaults: build, 100000, 10000)
#
# gen_records makes RECORDS + GATEWAY/2 records of about 1,330 bytes from
# the Library of Congress samples (each with its own 001, OCLC number and
# ISBN; the same templates as bench_repo.sh).  The first RECORDS go into a
# new repository with the bulk import; the gateway file is the last GATEWAY
# of them, so half its records match a stored bib by OCLC number (each is
# overlaid, its local fields kept) and half match none (each is created).
# Every record of a gateway import is its own transaction: lookup, lock
# check, merge, save, versions and indexes.  A second run of the same file
# then overlays all of them.  Prints wall and CPU time, records per second,
# peak RSS and the outcome counts of each run; never asserts timings.
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
n=${2:-100000}
g=${3:-10000}
data=tests/bench/data
bin=$build/cli/colophon
ex=/usr/share/doc/idzebra-2.0/examples
mkdir -p "$data"

for prog in "$bin" "$build/tests/bench/gen_records"; do
    [ -x "$prog" ] || { echo "bench_gateway: $prog is missing (build first: ninja -C $build)" >&2; exit 2; }
done
command -v yaz-marcdump >/dev/null || { echo "bench_gateway: yaz-marcdump is missing (apt install yaz)" >&2; exit 2; }
[ "$g" -ge 2 ] && [ "$n" -ge $((g / 2)) ] || { echo "bench_gateway: need RECORDS >= GATEWAY/2 >= 1" >&2; exit 2; }

# The templates, as bench_repo.sh and run-bench.sh make them (shared).
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
total=$((n + g / 2))
all="$data/gateway-all-$total.mrc"
[ -s "$all" ] || "$build/tests/bench/gen_records" "$data/templates.mrc" "$total" "$all" --target-bytes 1330 2>/dev/null
base="$data/gateway-base-$n.mrc"
gw="$data/gateway-$g-of-$n.mrc"
yaz-marcdump -i marc -o marc -L "$n" "$all" >"$base"
yaz-marcdump -i marc -o marc -O $((n - g / 2)) -L "$g" "$all" >"$gw"

work="$data/repo-gateway"
rm -rf "$work"
mkdir -p "$work"
repo="$work/repo"
"$bin" --user bench init --institution 1234 "$repo" >/dev/null
t0=$(date +%s.%N)
"$bin" --repo "$repo" --user bench import -q "$base" 2>"$work/base.err" || {
    echo "bench_gateway: the bulk import failed:" >&2
    tail -5 "$work/base.err" >&2
    exit 1
}
t1=$(date +%s.%N)
cat "$gw" >/dev/null # in the page cache

run() { # label
    /usr/bin/time -v -o "$work/$1.time" \
        "$bin" --repo "$repo" --user bench import -q --match oclc "$gw" >"$work/$1.out" 2>"$work/$1.err" || {
        st=$?
        # 1: records refused as bad data (the LoC samples include invalid ones), 3: conflicts
        [ $st -eq 1 ] || [ $st -eq 3 ] || { echo "bench_gateway: the gateway import failed ($st):" >&2; tail -5 "$work/$1.err" >&2; exit 1; }
    }
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$1.time" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    user=$(sed -n 's/.*User time (seconds): //p' "$work/$1.time")
    sys=$(sed -n 's/.*System time (seconds): //p' "$work/$1.time")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$1.time")
    counts=$(tail -n 1 "$work/$1.out")
    rate=$(awk -v n="$g" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? n / w : 0) }')
    printf '%-26s %8.2f s  %6s rec/s  CPU %s + %s s  RSS %d MB\n' "$2" "$wall" "$rate" "$user" "$sys" $((rss / 1024))
    printf '%-26s %s\n' "" "${counts#*: }"
}

echo "gateway import of $g records into a repository of $n records"
printf '%-26s %8.2f s  (the repository, not the figure)\n' "bulk import of $n" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
run first "import --match oclc"
run second "the same file again"
echo "(repository and outputs in $work)"
