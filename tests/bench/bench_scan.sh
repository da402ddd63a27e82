#!/bin/sh
# bench_scan.sh - Z39.50 scan latency of `colophon serve` (issue 5, item 2).
#
# Usage: tests/bench/bench_scan.sh BUILD_DIR REPO [ROUNDS]
#
# REPO is a repository loaded beforehand, e.g. with the generated records
# of run-bench.sh / bench_z3950.sh:
#   colophon --repo /tmp/r init --institution 1234
#   colophon --repo /tmp/r import -q tests/bench/data/bench-1000000.mrc
# It is served on a free 127.0.0.1 port and scanned by yaz-client in one
# session: 20 terms (yaz-client's default) from ten start terms per index,
# at position 1 (the start term first: a forward walk) and at position 10
# (nine terms before it: the walk back), each ROUNDS times (default 5).
# Times are yaz-client's "Elapsed" (request to response, in the client);
# median and 95th percentile in milliseconds.  Prints the load average
# first: run it on a quiet machine.  Figures only, no assertion.
set -eu
cd "$(dirname "$0")/../.."
build=$1
repo=$2
rounds=${3:-5}
. tests/cli/zebra.sh
bin=$build/cli/colophon
tmp=$(mktemp -d)
trap '[ -f "$tmp/pid" ] && kill "$(cat "$tmp/pid")"; rm -rf "$tmp"' EXIT
port=$(free_port)
"$bin" --repo "$repo" serve --listen "tcp:127.0.0.1:$port" --daemon --pidfile "$tmp/pid" \
    --log "$tmp/log" >/dev/null 2>&1
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $("$bin" --repo "$repo" search --count \
    'linked!=network OR linked=network') records"

words="comp hist the wash music pro sym a lib zoo"
idents="978 9780000 97800001 97800002 97800005 978000010 97800003 978000020 97800004 9780000099"
oclcs="1 10 100 1000 10000 100001 100002 100005 100007 100009"
mms="99100 991000001 991000010 991000100 99100050 9910001 9910002 99100030 99100040 9910009"

# run LABEL POSITION USE "START..." : ROUNDS scans of each start term
run() {
    label=$1 pos=$2 use=$3 starts=$4
    {
        echo "open tcp:127.0.0.1:$port/Default"
        echo "scanpos $pos"
        r=0
        while [ "$r" -lt "$rounds" ]; do
            for t in $starts; do echo "scan @attr 1=$use $t"; done
            r=$((r + 1))
        done
        echo quit
    } | yaz-client 2>&1 | python3 -c '
import re, sys
label = sys.argv[1]
out = sys.stdin.read()
# the Elapsed after each scan response (the first one is the Init)
parts = out.split("Received ScanResponse")[1:]
ms = sorted(float(re.search(r"Elapsed: ([0-9.]+)", p).group(1)) * 1000 for p in parts)
terms = [int(m) for m in re.findall(r"^([0-9]+) entries", out, re.M)]
if not ms:
    print("%-34s no answer" % label); sys.exit(0)
med = ms[len(ms) // 2]
p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
print("%-34s %4d scans (%4.1f terms)  median %8.2f ms  p95 %8.2f ms"
      % (label, len(ms), sum(terms) / max(len(terms), 1), med, p95))
' "$label"
}

run "title (1=4), position 1" 1 4 "$words"
run "title (1=4), position 10" 10 4 "$words"
run "author (1=1003), position 1" 1 1003 "$words"
run "any (1=1016), position 1" 1 1016 "$words"
run "any (1=1016), position 10" 10 1016 "$words"
run "ISBN (1=7), position 1" 1 7 "$idents"
run "ISBN (1=7), position 10" 10 7 "$idents"
run "OCLC (1=1211), position 1" 1 1211 "$oclcs"
run "local number (1=12), position 1" 1 12 "$mms"
