#!/bin/bash
# run-fuzz.sh - build the libFuzzer targets of tests/fuzz with clang and run
# each for a while, then say how many inputs each ran, what coverage it
# reached and what it found.
#
# Usage: tests/fuzz/run-fuzz.sh [SECONDS] [TARGET...]
#   SECONDS   how long each target runs (default 60)
#   TARGET    iso2709 marcxml marcxml_reader mrk json marc8 utf8 lint reader
#             query rules serve (default: all)
# Environment:
#   FUZZ_DIR         work folder (default: build-fuzz/ in the repository; git
#                    ignores it): build/, corpus/ (kept between runs, grows),
#                    extra/ (seeds made at run time), artifacts/, logs/
#   FUZZ_JOBS        targets run at once (default: number of cores)
#   FUZZ_KEEP_GOING  1 (default): go on after a crash (libFuzzer -fork=1,
#                    every crash kept in artifacts/); 0: stop at the first
#   FUZZ_MAX_LEN     largest input (default 100000: a MARC record is at most
#                    99,999 bytes)
#   FUZZ_KNOWN       known bugs to look past while they are fixed (see
#                    README.md), e.g. nul,code
#   COLOPHON_CORPUS  extra real-world seeds (default ../shared/corpus beside
#                    the repository, when it exists; never copied into it)
#
# On Debian 12 it installs clang and the libFuzzer runtime when they are
# missing (needs root or sudo).  Exit status: 0 when no target found
# anything, 1 when one did (see the report and artifacts/), 2 on a setup
# failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
all_targets="iso2709 marcxml marcxml_reader mrk json marc8 utf8 lint reader query rules serve"
targets=${*:-$all_targets}
work=${FUZZ_DIR:-$root/build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
keep_going=${FUZZ_KEEP_GOING:-1}
max_len=${FUZZ_MAX_LEN:-100000}
corpus_src=${COLOPHON_CORPUS:-$root/../shared/corpus}

die() {
    echo "run-fuzz: $*" >&2
    exit 2
}

case $secs in
'' | *[!0-9]*) die "SECONDS must be a number (got '$secs')" ;;
esac
for t in $targets; do
    case " $all_targets " in
    *" $t "*) ;;
    *) die "unknown target '$t' (targets: $all_targets)" ;;
    esac
done

# ---- tools ----

libfuzzer_links() {
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return d && n ? 0 : 0; }' |
        clang -x c -fsanitize=fuzzer,address,undefined -o "$work/probe" - >/dev/null 2>&1
}

install_tools() {
    command -v apt-get >/dev/null || return 1
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    echo "run-fuzz: installing clang and the libFuzzer runtime" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Debian 12 ships libFuzzer in libclang-rt-14-dev (clang 14).
    $sudo apt-get install -y --no-install-recommends clang libclang-rt-14-dev python3 meson \
        ninja-build >&2 ||
        { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends clang \
            libclang-rt-14-dev python3 meson ninja-build >&2; }
}

mkdir -p "$work" || die "cannot create $work"
if ! command -v clang >/dev/null || ! command -v meson >/dev/null || ! libfuzzer_links; then
    install_tools || true
    if ! command -v clang >/dev/null || ! libfuzzer_links; then
        die "clang cannot link -fsanitize=fuzzer; install clang and libclang-rt-14-dev"
    fi
fi
rm -f "$work/probe"

# ---- build ----

build=$work/build
if [ ! -f "$build/build.ninja" ]; then
    # No -Dwerror: a warning only clang gives must not stop the fuzzing.
    CC=clang meson setup "$build" "$root" -Dfuzz=true --buildtype=debugoptimized \
        >"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; die "meson setup failed"; }
fi
ninja_targets=""
for t in $targets; do ninja_targets="$ninja_targets tests/fuzz/fuzz_$t"; done
# shellcheck disable=SC2086
ninja -C "$build" $ninja_targets >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log" >&2; die "build failed (full log: $work/build.log)"; }

# ---- seeds ----

extra=$work/extra
rm -rf "$extra"
mkdir -p "$extra"
if [ -d "$corpus_src" ]; then
    python3 "$here/gather-seeds.py" "$extra" "$corpus_src" >&2
else
    python3 "$here/gather-seeds.py" "$extra" >&2
fi

# The repository's seed folders each target starts from (the replay test
# feeds every folder to every target; here each gets the ones it can use).
seed_dirs() {
    case $1 in
    marcxml_reader) echo marcxml ;;
    lint | reader) echo iso2709 marcxml mrk json ;;
    *) echo "$1" ;;
    esac
}

dict_for() {
    case $1 in
    marcxml_reader) cat "$here/dict/marcxml.dict" ;;
    lint | reader) cat "$here"/dict/iso2709.dict "$here"/dict/marcxml.dict \
        "$here"/dict/mrk.dict "$here"/dict/json.dict ;;
    *) cat "$here/dict/$1.dict" ;;
    esac
}

# ---- run ----

run_one() {
    t=$1
    corpus=$work/corpus/$t
    art=$work/artifacts/$t
    mkdir -p "$corpus" "$art" "$work/logs" "$work/dicts"
    dict_for "$t" >"$work/dicts/$t.dict"
    set -- -max_total_time="$secs" -max_len="$max_len" -timeout=20 -rss_limit_mb=2560 \
        -print_final_stats=1 -dict="$work/dicts/$t.dict" -artifact_prefix="$art/"
    if [ "$keep_going" = 1 ]; then
        set -- "$@" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
    fi
    set -- "$@" "$corpus"
    for d in $(seed_dirs "$t"); do set -- "$@" "$here/seeds/$d"; done
    [ -d "$here/regress/$t" ] && set -- "$@" "$here/regress/$t"
    [ -d "$extra/$t" ] && set -- "$@" "$extra/$t"
    echo "run-fuzz: $t for ${secs}s" >&2
    (cd "$work" && UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
        "$build/tests/fuzz/fuzz_$t" "$@") >"$work/logs/$t.log" 2>&1
    echo $? >"$work/logs/$t.rc"
}

running=0
for t in $targets; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
    run_one "$t" &
    running=$((running + 1))
done
wait

# ---- report ----

found=0
printf '\n%-15s %12s %8s %7s %7s %6s %8s\n' target executions exec/s cov features corpus crashes
for t in $targets; do
    log=$work/logs/$t.log
    # Fork mode: "#N: cov: C ft: F corp: K exec/s: E ..."; else "#N DONE cov: C ft: F corp: K/..".
    line=$(grep -E '^#[0-9]+(:| DONE| pulse| NEW| REDUCE| INITED)' "$log" | tail -n 1)
    execs=$(grep -E '^stat::number_of_executed_units' "$log" | tail -n 1 | awk '{print $2}')
    [ -n "$execs" ] || execs=$(printf '%s\n' "$line" | sed -E 's/^#([0-9]+).*/\1/')
    cov=$(printf '%s\n' "$line" | sed -nE 's/.* cov: ([0-9]+).*/\1/p')
    ft=$(printf '%s\n' "$line" | sed -nE 's/.* ft: ([0-9]+).*/\1/p')
    corp=$(find "$work/corpus/$t" -type f | wc -l)
    crashes=$(find "$work/artifacts/$t" -type f \( -name 'crash-*' -o -name 'leak-*' -o \
        -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    rate=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
    printf '%-15s %12s %8s %7s %7s %6s %8s\n' "$t" "${execs:-?}" "$rate" "${cov:-?}" \
        "${ft:-?}" "$corp" "$crashes"
    [ "$crashes" -gt 0 ] && found=1
done
# What each kept input trips over: replay it, take the first report line,
# and group the inputs by that line (numbers blanked), smallest input first.
triage() {
    t=$1
    # Artifact names are hex digests: no spaces to split on.
    # shellcheck disable=SC2045
    for f in $(ls -S -r "$work/artifacts/$t"/crash-* "$work/artifacts/$t"/leak-* \
        "$work/artifacts/$t"/timeout-* "$work/artifacts/$t"/oom-* 2>/dev/null); do
        msg=$(cd "$work" && timeout 60 "$build/tests/fuzz/fuzz_$t" "$f" 2>&1 |
            grep -a -m 1 -E 'fuzz oracle failed: |runtime error: |ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' |
            sed -E 's/^.*(fuzz oracle failed: |runtime error: |ERROR: )/\1/; s/0x[0-9a-f]{6,}/ADDR/g; s/\b[0-9]+\b/N/g')
        printf '%s\t%s\n' "${msg:-(does not reproduce alone)}" "$f"
    done | awk -F '\t' '{ n[$1]++; if (!($1 in ex)) ex[$1] = $2 }
        END { for (m in n) printf "  %5d  %s\n         e.g. %s\n", n[m], m, ex[m] }'
}
for t in $targets; do
    [ -n "$(ls "$work/artifacts/$t" 2>/dev/null)" ] || continue
    printf '\n%s: what the kept inputs trip over (count, first report line):\n' "$t"
    triage "$t"
done
if [ "$found" = 1 ]; then
    printf '\nrun-fuzz: crashes found; reproduce one with\n  %s/tests/fuzz/fuzz_TARGET FILE\n' \
        "$build"
    printf 'and minimise it with -minimize_crash=1 -runs=10000 FILE (see tests/fuzz/README.md).\n'
    exit 1
fi
printf '\nrun-fuzz: no crash in %s second(s) per target\n' "$secs"
exit 0
