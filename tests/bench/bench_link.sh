#!/bin/sh
# bench_link.sh - the link-to-nz benchmark (SPEC §9: a 100,000-record set in
# at most 20 s; issue 4 item 10).
#
# Usage: tests/bench/bench_link.sh [BUILD_DIR] [NZ_RECORDS] [IZ_RECORDS]
#        (default: build 1000000 100000)
#
# Makes the file of NZ_RECORDS records from the Library of Congress sample
# records that bench_repo.sh makes (gen_records gives copy i its own 001,
# OCLC number 100000000 + 7i and ISBN), imports it into a network zone,
# then two institution zones sharing that NZ file, each holding the first
# IZ_RECORDS of those records (so every IZ record has exactly one NZ record
# with its OCLC number):
#   same     the IZ records as the NZ has them: the usual case, the same
#            OCLC record in both zones, linking changes 001 and 005 only;
#   differ   every IZ record with a 500 the NZ record lacks: linking
#            replaces the shared content, so every record is re-indexed
#            (full-text words out and in) -- the worst case.
# In each, bench_link makes a set of all IZ_RECORDS bibs and times the job
# (oclc-unique, as Alma's defaults).  Prints figures; never asserts
# timings.  The repositories stay in tests/bench/data/link-bench.
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
nzn=${2:-1000000}
izn=${3:-100000}
data=tests/bench/data
bin=$build/cli/colophon
ex=/usr/share/doc/idzebra-2.0/examples
mkdir -p "$data"

for prog in "$bin" "$build/tests/bench/gen_records" "$build/tests/bench/bench_link"; do
    [ -x "$prog" ] || { echo "bench_link: $prog is missing (build first: ninja -C $build)" >&2; exit 2; }
done
[ "$izn" -le "$nzn" ] || { echo "bench_link: IZ_RECORDS must not exceed NZ_RECORDS" >&2; exit 2; }

# The templates, as bench_repo.sh and run-bench.sh make them (shared with them).
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
# gen_records is deterministic: the IZ file is the NZ file's first records.
for n in "$nzn" "$izn"; do
    [ -s "$data/bench-$n.mrc" ] ||
        "$build/tests/bench/gen_records" "$data/templates.mrc" "$n" "$data/bench-$n.mrc" --target-bytes 1330
done
work=$data/link-bench
rm -rf "$work"
mkdir -p "$work"
# The "differ" IZ: a 500 the network records lack, before each record's end.
$bin convert -q "$data/bench-$izn.mrc" "$work/iz.mrk"
sed 's/^$/=500  \\\\$aInstitution copy: a note the network record lacks.\n/' "$work/iz.mrk" >"$work/iz-differ.mrk"
rm -f "$work/iz.mrk"

elapsed() { # command... -> seconds on stdout, output of the command to $work/log
    t0=$(date +%s%N)
    "$@" >>"$work/log" 2>&1 || { echo "bench_link: failed: $*" >&2; tail -5 "$work/log" >&2; exit 1; }
    t1=$(date +%s%N)
    echo "$(((t1 - t0) / 1000000))" | awk '{ printf "%.1f", $1 / 1000 }'
}

echo "network zone: $nzn records; institution zones: $izn records each"
"$bin" --user bench init --institution 1234 "$work/same" >/dev/null
s=$(elapsed "$bin" --repo "$work/same" --user bench import -q --zone nz "$data/bench-$nzn.mrc")
echo "import of the NZ ($nzn records): $s s"
"$bin" --user bench init --institution 5678 --nz "$work/same/nz.db" "$work/differ" >/dev/null
s=$(elapsed "$bin" --repo "$work/same" --user bench import -q "$data/bench-$izn.mrc")
echo "import of the IZ 'same' ($izn records): $s s"
s=$(elapsed "$bin" --repo "$work/differ" --user bench import -q "$work/iz-differ.mrk")
echo "import of the IZ 'differ' ($izn records): $s s"
cat "$work/same/nz.db" "$work/same/iz.db" "$work/differ/iz.db" >/dev/null # in the page cache
echo
for iz in same differ; do
    echo "--- $iz"
    "$build/tests/bench/bench_link" "$work/$iz" "$izn" 2>>"$work/log"
    echo "after the job: $(du -sh "$work/$iz/iz.db" | cut -f1) IZ file"
done
echo
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg) at the end"
