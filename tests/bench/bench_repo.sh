#!/bin/sh
# bench_repo.sh - the repository benchmark (SPEC §9; issue 3 item 9).
#
# Usage: tests/bench/bench_repo.sh [BUILD_DIR] [RECORDS]   (default build, 1000000)
#
# Makes a file of RECORDS records of about 1,330 bytes from the Library of
# Congress sample records (the same file tests/bench/run-bench.sh makes:
# gen_records gives each copy its own 001, OCLC number and ISBN), then, in
# one run:
#   colophon import     into a new repository, with every index (the brief
#                       columns, identifier keys, full text); wall and CPU
#                       time, peak RSS (/usr/bin/time -v), repository size;
#   bench_search        lookups by MMS ID, OCLC and ISBN, keyword searches
#                       (first 50 hits): median and 99th percentile;
#   colophon show       a whole process that opens the repository and
#                       prints one record (what starting the editor costs):
#                       median of 21 runs;
#   zebraidx            the same file indexed by Zebra (idzebra-2.0, MARC 21
#                       ISO 2709 through grs.marcxml.marc21): time, peak RSS,
#                       register size.
# Prints figures; never asserts timings.  The repository and Zebra's
# register are left in tests/bench/data/repo-bench for a closer look.
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
n=${2:-1000000}
data=tests/bench/data
bin=$build/cli/colophon
ex=/usr/share/doc/idzebra-2.0/examples
mkdir -p "$data"

for prog in "$bin" "$build/tests/bench/gen_records" "$build/tests/bench/bench_search"; do
    [ -x "$prog" ] || { echo "bench_repo: $prog is missing (build first: ninja -C $build)" >&2; exit 2; }
done
command -v zebraidx >/dev/null || { echo "bench_repo: zebraidx is missing (apt install idzebra-2.0)" >&2; exit 2; }

# The templates and the file, as run-bench.sh makes them (shared with it).
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
[ -s "$file" ] || "$build/tests/bench/gen_records" "$data/templates.mrc" "$n" "$file" --target-bytes 1330

work="$data/repo-bench"
rm -rf "$work"
mkdir -p "$work/zebra/reg"
repo="$work/repo"
cat "$file" >/dev/null # the file in the page cache for both indexers

# --- colophon import ---
"$bin" --user bench init --institution 1234 "$repo" >/dev/null
/usr/bin/time -v -o "$work/import.time" \
    "$bin" --repo "$repo" --user bench import "$file" >"$work/import.out" 2>"$work/import.err" || {
    echo "bench_repo: the import failed:" >&2
    tail -5 "$work/import.err" >&2
    exit 1
}

# --- lookups and searches ---
"$build/tests/bench/bench_search" "$repo" 20 >"$work/search.out" 2>&1 || true

# --- a process that opens the repository and shows a record ---
mms=$(sqlite3 "$repo/iz.db" "SELECT mms FROM bib WHERE id = (SELECT max(id) / 2 FROM bib)")
: >"$work/show.ns"
i=0
while [ $i -lt 21 ]; do
    t0=$(date +%s%N)
    "$bin" --repo "$repo" --user bench show --format mrk "$mms" >/dev/null
    t1=$(date +%s%N)
    echo $((t1 - t0)) >>"$work/show.ns"
    i=$((i + 1))
done

# --- zebraidx, the same file ---
cat >"$work/zebra/zebra.cfg" <<'EOF'
# Zebra for MARC 21 in ISO 2709 (after the idzebra-2.0 marc21 example).
profilePath: .:/usr/share/idzebra-2.0/tab
attset: bib1.att
attset: explain.att
recordType: grs.marcxml.marc21
register: reg:100G
lockDir: .
keyTmpDir: .
memMax: 256M
EOF
abs_file=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
(cd "$work/zebra" && /usr/bin/time -v -o ../zebra.time zebraidx -c zebra.cfg -v warn update "$abs_file" \
    >../zebra.out 2>&1) || echo "bench_repo: zebraidx failed (see $work/zebra.out)" >&2

python3 - "$work" "$file" "$n" <<'PY'
import os, re, statistics, sys
work, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

def timev(name):
    t = {}
    for line in open(os.path.join(work, name)):
        k, _, v = line.strip().rpartition(": ")
        t[k] = v
    wall = 0.0
    for part in t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return wall, float(t["User time (seconds)"]), float(t["System time (seconds)"]), \
        int(t["Maximum resident set size (kbytes)"]) / 1024

def du(p):
    total = 0
    for root, _, files in os.walk(p):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total / 1e6

size = os.path.getsize(path) / 1e6
print(f"file: {path}: {n} records, {size:.0f} MB")
print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end")
print()
print(f"{'indexing ' + str(n) + ' records':34} {'wall s':>8} {'user s':>8} {'sys s':>7} {'peak RSS MB':>12} {'size MB':>9} {'rec/s':>9}")
wall, user, sys_, rss = timev("import.time")
repo_size = du(os.path.join(work, "repo"))
print(f"{'colophon import (all indexes)':34} {wall:8.1f} {user:8.1f} {sys_:7.1f} {rss:12.0f} {repo_size:9.0f} {n / wall:9.0f}")
summary = open(os.path.join(work, "import.out")).read().strip()
zt = os.path.join(work, "zebra.time")
if os.path.exists(zt):
    zw, zu, zs, zr = timev("zebra.time")
    zsize = du(os.path.join(work, "zebra", "reg"))
    print(f"{'zebraidx update (grs.marcxml)':34} {zw:8.1f} {zu:8.1f} {zs:7.1f} {zr:12.0f} {zsize:9.0f} {n / zw:9.0f}")
    print(f"colophon import vs zebraidx: {zw / wall:.1f}x faster")
print("import budget (SPEC §9, 1,000,000 records): <= 60 s" +
      (f"; scaled to {n}: {60 * n / 1e6:.1f} s" if n != 1000000 else ""))
if summary:
    print("summary: " + summary)
print()
shows = sorted(int(x) / 1e6 for x in open(os.path.join(work, "show.ns")))
print(f"colophon show (open the repository, print one record), 21 runs: "
      f"median {statistics.median(shows):.1f} ms, worst {shows[-1]:.1f} ms (budget for the editor: 150 ms)")
print()
print(open(os.path.join(work, "search.out")).read().rstrip())
PY
