#!/bin/sh
# bench_z3950.sh - `colophon serve` against zebrasrv: the same records, the
# same queries, the same run (issue 5, item 6).
#
# Usage: tests/bench/bench_z3950.sh [BUILD_DIR] [RECORDS] [ROUNDS]
#
# Builds RECORDS (default 100,000) records from the LoC templates with
# gen_records (as run-bench.sh does), imports them into a new Colophon
# repository served by `colophon serve` and indexes them with zebraidx
# (tests/data/zebra's configuration) served by zebrasrv, both on 127.0.0.1,
# then runs bench_z3950 against each: a title word, an ISBN, a local
# number (Colophon: the MMS ID; Zebra: the 001), a keyword; search, present
# 1 record, present 10 records; median and 95th percentile of ROUNDS
# (default 50) runs.  Prints the load average first: run it on a quiet
# machine.  Figures only, no assertion.
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
n=${2:-100000}
rounds=${3:-50}
. tests/cli/zebra.sh
bin=$build/cli/colophon
driver=$build/tests/bench/bench_z3950
data=tests/bench/data
ex=/usr/share/doc/idzebra-2.0/examples
mkdir -p "$data"
zebra_have || { echo "bench_z3950: zebrasrv/zebraidx not installed" >&2; exit 1; }

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

tmp=$(mktemp -d)
spid=""
trap 'zebra_stop; [ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT

echo "load: $(uptime | sed 's/.*load average/load average/')"
t0=$(date +%s)
"$bin" --repo "$tmp/repo" init --institution 1234 >/dev/null
"$bin" --repo "$tmp/repo" import -q "$file" >/dev/null 2>&1 || true
t1=$(date +%s)
zport=$(free_port)
zebra_start "$tmp/zebra" tests/data/zebra "$zport" "$file"
t2=$(date +%s)
echo "loaded $n records: colophon import $((t1 - t0)) s, zebraidx $((t2 - t1)) s"
cport=$(free_port)
"$bin" --repo "$tmp/repo" serve --listen "tcp:127.0.0.1:$cport" --daemon --pidfile "$tmp/serve.pid" \
    --log "$tmp/serve.log" >/dev/null 2>&1
spid=$(cat "$tmp/serve.pid")

# the same record on both sides: the k-th generated record (1-based)
k=$((n * 3 / 4 + 1))
isbn=$(python3 -c "
n = ($k - 1) * 13 + 7
s = '978%09d' % (n % 1000000000)
c = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(s)) % 10) % 10
print(s + str(c))")
mms=$(printf '99%09d1234' $((100000000 + k)))
zid=$(printf 'bench%09d' "$k")
echo "colophon: $("$bin" --repo "$tmp/repo" search --count "mms=$mms") record(s) with MMS ID $mms, $("$bin" --repo "$tmp/repo" search --count "isbn=$isbn") with ISBN $isbn"

run() { # NAME ADDRESS LOCAL_NUMBER
    "$driver" "$2" "$rounds" "title word=@attr 1=4 computer" "ISBN=@attr 1=7 $isbn" \
        "local number=@attr 1=12 $3" "keyword=@attr 1=1016 washington" | sed "s/^/$1\t/"
}
{
    run colophon "127.0.0.1:$cport/Default" "$mms"
    run zebrasrv "127.0.0.1:$zport/Default" "$zid"
} >"$tmp/res.tsv"
python3 - "$tmp/res.tsv" "$n" "$rounds" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print(f"\n{sys.argv[2]} records, {sys.argv[3]} rounds per figure; milliseconds, median / p95\n")
t = collections.OrderedDict()
for server, label, phase, hits, med, p95 in rows:
    t.setdefault((label, phase), {})[server] = (hits, float(med), float(p95))
print(f"| query | phase | hits (colophon / zebra) | colophon serve | zebrasrv |")
print(f"| --- | --- | --- | --- | --- |")
for (label, phase), v in t.items():
    c = v.get("colophon"); z = v.get("zebrasrv")
    f = lambda x: f"{x[1]:.2f} / {x[2]:.2f}" if x else "-"
    print(f"| {label} | {phase} | {c[0] if c else '-'} / {z[0] if z else '-'} | {f(c)} | {f(z)} |")
PY
