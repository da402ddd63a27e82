#!/bin/sh
# run-bench.sh - the MARC layer's benchmark (SPEC §9: parse + re-encode
# ISO 2709 at >= 10x the throughput of `yaz-marcdump -o marc`).
#
# Usage: tests/bench/run-bench.sh [BUILD_DIR] [RECORDS]
#
# Builds a file of RECORDS (default 100,000) records of about 1,330 bytes
# from the Library of Congress sample records (as in SPEC §9's reference
# figures: 100,000 records, 133 MB), then times, best of three runs with a
# warm page cache:
#   cat FILE                                  (reading the bytes)
#   yaz-marcdump -n FILE                      (yaz: parse only)
#   yaz-marcdump -o marc FILE                 (yaz: parse + re-encode)
#   colophon convert --to iso2709 FILE /dev/null   (ours, whole command)
#   bench_iso2709 FILE                        (ours, codec in memory)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
n=${2:-100000}
data=tests/bench/data
mkdir -p "$data"
bin=$build/cli/colophon
ex=/usr/share/doc/idzebra-2.0/examples

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

python3 - "$file" "$bin" "$build/tests/bench/bench_iso2709" <<'PY'
import subprocess, sys, time, os
f, colophon, bench = sys.argv[1:4]
def best(cmd, runs=3):
    t = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        t.append(time.perf_counter() - t0)
    return min(t)
subprocess.run(["cat", f], stdout=subprocess.DEVNULL)
size = os.path.getsize(f)
rows = [
    ("cat", ["cat", f]),
    ("yaz-marcdump -n (parse only)", ["yaz-marcdump", "-n", f]),
    ("yaz-marcdump -o marc (parse+encode)", ["yaz-marcdump", "-o", "marc", f]),
    ("colophon convert --to iso2709", [colophon, "convert", "-q", "--to", "iso2709", f, "/dev/null"]),
]
res = {name: best(cmd) for name, cmd in rows}
out = subprocess.run([bench, f, "5"], capture_output=True, text=True).stdout
codec = dict(l.split(" ", 1) for l in out.strip().splitlines())
res["bench_iso2709 (codec in memory)"] = float(codec["seconds"])
print(f"file: {f}: {size/1e6:.1f} MB, {codec['records']} records")
print(f"{'what':40} {'seconds':>8} {'MB/s':>8}")
for name, s in res.items():
    print(f"{name:40} {s:8.3f} {size/1e6/s:8.0f}")
yaz = res["yaz-marcdump -o marc (parse+encode)"]
ours = res["colophon convert --to iso2709"]
print(f"colophon convert vs yaz-marcdump -o marc: {yaz/ours:.1f}x (budget: >= 10x)")
print(f"codec in memory vs yaz-marcdump -o marc: {yaz/res['bench_iso2709 (codec in memory)']:.1f}x")
PY
