#!/usr/bin/env python3
"""Count the TAP test points of every meson test run under a build root.

Reads BUILD_ROOT/*/meson-logs/testlog.json (one JSON object per test run),
counts "ok" and "not ok" lines of each test's output, and counts a test that
failed without reporting a failing test point (a crash, a timeout) as one
failure.  A build that failed counts as one failure.  Prints a line per
suite and ends with "N passed, N failed"; exits 1 when anything failed.
For every failed test it also prints the failing test points with the
diagnostic lines that follow them (or, when there is none, the end of the
test's output), so that a CI log names what failed and why.
"""
import glob
import json
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "build-tests"
ok_re = re.compile(r"^ok\b")
notok_re = re.compile(r"^not ok\b")
passed = failed = skipped = 0
details = []


def failure_detail(variant, t, out):
    """The lines a reader needs to see why test T failed."""
    lines = out.splitlines()
    shown = []
    for i, l in enumerate(lines):
        if notok_re.match(l) and "# TODO" not in l:
            shown.append(l)
            for d in lines[i + 1:i + 13]:
                if not d.startswith("#"):
                    break
                shown.append(d)
    if not shown:
        err = (t.get("stderr") or "").splitlines()
        shown = ["(no failing test point; exit %s, result %s)" % (t.get("returncode"), t.get("result"))]
        shown += ["out: " + l for l in lines[-10:]] + ["err: " + l for l in err[-15:]]
    head = f"--- {variant} {t.get('name')}"
    return [head] + ["    " + l for l in shown[:60]]

for fail_marker in glob.glob(os.path.join(root, "*.buildfail")):
    print(open(fail_marker).read().strip())
    failed += 1

for log in sorted(glob.glob(os.path.join(root, "*", "meson-logs", "testlog.json"))):
    variant = os.path.basename(os.path.dirname(os.path.dirname(log)))
    for line in open(log, encoding="utf-8", errors="replace"):
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        out = t.get("stdout") or ""
        p = f = s = 0
        for l in out.splitlines():
            if notok_re.match(l):
                if "# TODO" in l:
                    continue
                f += 1
            elif ok_re.match(l):
                if re.search(r"#\s*SKIP", l, re.I):
                    s += 1
                else:
                    p += 1
        result = t.get("result", "")
        if result in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS") and f == 0:
            f = 1
        if result == "SKIP" and p == 0 and f == 0:
            reason = ""
            m = re.search(r"1\.\.0\s*#\s*SKIP\s*(.*)", out, re.I)
            if m:
                reason = ": " + m.group(1).strip()
            print(f"{variant:6} {t.get('name'):32} skipped{reason}")
        else:
            print(f"{variant:6} {t.get('name'):32} {p} passed, {f} failed" + (f", {s} skipped" if s else ""))
        if f:
            details.extend(failure_detail(variant, t, out))
        passed += p
        failed += f
        skipped += s

if details:
    print("== what failed")
    print("\n".join(details))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
