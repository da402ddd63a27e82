#!/usr/bin/env python3
"""gather-seeds.py - extra seed inputs for the fuzz targets, made at run time.

Usage: gather-seeds.py OUT_DIR [CORPUS_DIR]

Writes OUT_DIR/<target>/ for every fuzz target from:
  - the Library of Congress sample records that Debian's idzebra-2.0-examples
    package installs (/usr/share/doc/idzebra-2.0/examples): the MARC-8 ISO 2709
    file split into records, the MARCXML collections, and the field values of
    the MARC-8 records (for the MARC-8 conversion target);
  - CORPUS_DIR, when given and present (the shared corpus of real files from
    other MARC projects): whole files for the readers, ISO 2709 files split
    into records, and so on by extension.

Nothing is written into the repository: these files are not ours to copy
(the corpus) or are big (the LoC samples), so they are only read, here, into
a scratch folder that run-fuzz.sh hands to libFuzzer beside tests/fuzz/seeds.
"""
import gzip
import os
import re
import sys

LOC = "/usr/share/doc/idzebra-2.0/examples"
MAX_LEN = 100000       # the -max_len run-fuzz.sh gives libFuzzer
MAX_RECORDS = 300      # records taken from one ISO 2709 file
MAX_VALUES = 400       # MARC-8 / UTF-8 strings taken in all

TARGETS = ["iso2709", "marcxml", "marcxml_reader", "mrk", "json", "marc8", "utf8",
           "lint", "reader"]

out_dir = sys.argv[1]
corpus = sys.argv[2] if len(sys.argv) > 2 else None
counts = {t: 0 for t in TARGETS}
values = {"marc8": 0, "utf8": 0}


def put(target, name, data):
    if not data:
        return
    d = os.path.join(out_dir, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data[:MAX_LEN])
    counts[target] += 1


def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read()


def records(data):
    """ISO 2709 records: split at record terminators (malformed ones too)."""
    out = []
    for chunk in data.split(b"\x1d"):
        chunk = chunk.lstrip(b"\r\n\x00 ")
        if chunk:
            out.append(chunk + b"\x1d")
        if len(out) >= MAX_RECORDS:
            break
    return out


def field_values(rec):
    """Control field values and subfield values of one ISO 2709 record."""
    try:
        base = int(rec[12:17])
    except ValueError:
        return []
    vals = []
    for field in rec[base:].split(b"\x1e"):
        parts = field.split(b"\x1f")
        vals.extend(p[1:] if i else p for i, p in enumerate(parts) if len(p) > 1)
    return vals


def add_values(kind, vals, prefix):
    for i, v in enumerate(vals):
        if values[kind] >= MAX_VALUES:
            return
        # Only what exercises the converter: non-ASCII bytes or escapes.
        if any(b >= 0x80 or b == 0x1B for b in v):
            put(kind, "%s-%d" % (prefix, i), v)
            values[kind] += 1


def add_iso2709(name, data, whole=True):
    if whole:
        put("reader", name, data)
    for i, rec in enumerate(records(data)):
        put("iso2709", "%s-%d" % (name, i), rec)
        if i < 40:
            put("lint", "%s-%d" % (name, i), rec)
        utf8 = len(rec) > 9 and rec[9:10] == b"a"
        add_values("utf8" if utf8 else "marc8", field_values(rec), "%s-%d" % (name, i))


def add_marcxml(name, data):
    for t in ("marcxml_reader", "reader", "lint"):
        put(t, name, data)
    # marc_marcxml_decode reads one record: give it the first few alone.
    for i, m in enumerate(re.finditer(rb"<(\w+:)?record[ >].*?</(\w+:)?record>", data, re.S)):
        if i >= 20:
            break
        put("marcxml", "%s-%d" % (name, i), m.group(0))
    subs = re.findall(rb"<(?:\w+:)?subfield[^>]*>([^<]*)<", data)
    add_values("utf8", subs[:200], name)


def add_file(path, rel):
    name = re.sub(r"[^A-Za-z0-9._-]", "_", rel)
    try:
        data = read(path)
    except OSError:
        return
    low = path.lower().removesuffix(".gz")
    if low.endswith((".xml",)):
        add_marcxml(name, data)
    elif low.endswith((".mrk", ".mrk8", ".txt")):
        for t in ("mrk", "reader", "lint"):
            put(t, name, data)
    elif low.endswith((".json", ".jsonl", ".ndjson")):
        for t in ("json", "reader", "lint"):
            put(t, name, data)
    elif low.endswith((".mrc", ".marc", ".dat", ".usmarc", ".iso", ".bin")) or "sample-marc" in low:
        add_iso2709(name, data)


def walk(root, label):
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if f.startswith(".") or f.startswith("README") or f.endswith((".xsl.gz", ".cfg")):
                continue
            path = os.path.join(dirpath, f)
            add_file(path, label + "-" + os.path.relpath(path, root))


if os.path.isdir(LOC):
    walk(os.path.join(LOC, "marc21"), "loc")
    walk(os.path.join(LOC, "marcxml"), "loc")
else:
    print("gather-seeds: %s not found (apt-get install idzebra-2.0-examples)" % LOC,
          file=sys.stderr)
if corpus and os.path.isdir(corpus):
    walk(corpus, "corpus")

print("gather-seeds: " + ", ".join("%s %d" % (t, counts[t]) for t in TARGETS))
