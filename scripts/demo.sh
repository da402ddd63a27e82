#!/bin/sh
# demo.sh - what `./bootstrap demo` shows.
#
# The full-screen editor is not part of this build yet (it comes with the
# TUI issue); until then the demo shows the MARC layer at work on the
# Library of Congress sample records that Debian's idzebra-2.0-examples
# package ships: MARC-8 ISO 2709 converted to UTF-8 MARCXML, MarcEdit .mrk
# and MARC-in-JSON, checked by lint, and converted back without loss.
set -eu
cd "$(dirname "$0")/.."
bin=build/colophon
examples=/usr/share/doc/idzebra-2.0/examples
work=${XDG_CACHE_HOME:-$HOME/.cache}/colophon-demo
mkdir -p "$work"

zcat "$examples/marc21/sample-marc.gz" >"$work/loc-sample.mrc"
for f in "$examples"/marcxml/collection-*.xml*; do
    case $f in *.gz) zcat "$f" ;; *) cat "$f" ;; esac >"$work/$(basename "${f%.gz}")"
done

echo "== The LoC sample (MARC-8 ISO 2709) as UTF-8 MARCXML, .mrk and JSON"
$bin convert --to-charset utf8 "$work/loc-sample.mrc" "$work/loc-sample.xml"
$bin convert "$work/loc-sample.xml" "$work/loc-sample.mrk"
$bin convert "$work/loc-sample.xml" "$work/loc-sample.json"
echo "-- first record in .mrk:"
awk 'BEGIN{RS="";ORS="\n\n"} NR==3{print; exit}' "$work/loc-sample.mrk"

echo "== Round trip: MARCXML -> .mrk -> JSON -> ISO 2709 -> MARCXML"
$bin convert "$work/loc-sample.mrk" "$work/rt.json"
$bin convert "$work/rt.json" "$work/rt.mrc"
$bin convert "$work/rt.mrc" "$work/rt.xml"
if cmp -s "$work/loc-sample.xml" "$work/rt.xml"; then
    echo "identical: $(grep -c '<record>' "$work/rt.xml") records survived four conversions byte for byte"
else
    echo "DIFFERENT: see $work/loc-sample.xml and $work/rt.xml"
fi

echo "== Back to MARC-8"
$bin convert --to-charset marc8 "$work/rt.mrc" "$work/rt-marc8.mrc"
if cmp -s "$work/loc-sample.mrc" "$work/rt-marc8.mrc"; then echo "identical to the original MARC-8 file"; else echo "differs from the original (see docs/MARC.md on MARC-8 round trips)"; fi

echo "== lint of the LoC records (errors block a save; warnings do not)"
$bin lint "$work/loc-sample.mrc" "$work"/collection-*.xml 2>&1 | head -n 25 || true
echo "(files are in $work)"
