#!/bin/sh
# run-tests.sh - build Colophon twice (warnings as errors; then with
# AddressSanitizer and UndefinedBehaviorSanitizer) and run every test suite
# in both builds.  Prints each suite's TAP results and ends with one line
# "N passed, N failed" that counts every TAP test point of every run.
#
# Usage: scripts/run-tests.sh [BUILD_ROOT]   (default: build-tests/)
set -u
cd "$(dirname "$0")/.."
root=${1:-build-tests}
status=0

setup() { # dir, extra meson options...
    dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" -Dwerror=true "$@" >"$dir.setup.log" 2>&1 ||
            { cat "$dir.setup.log"; return 1; }
    fi
    ninja -C "$dir" >"$dir.build.log" 2>&1 || { cat "$dir.build.log"; return 1; }
}

mkdir -p "$root"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0

for variant in plain asan; do
    dir="$root/$variant"
    case $variant in
    plain) opts="--buildtype=debugoptimized" ;;
    asan) opts="--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false" ;;
    esac
    # shellcheck disable=SC2086
    if ! setup "$dir" $opts; then
        echo "not ok - build ($variant) failed" >"$root/$variant.buildfail"
        status=1
        continue
    fi
    rm -f "$root/$variant.buildfail"
    echo "== $variant build: running tests" >&2
    meson test -C "$dir" --print-errorlogs --num-processes 2 >"$root/$variant.test.log" 2>&1 || status=1
    tail -n 15 "$root/$variant.test.log" >&2
done

python3 scripts/count-tap.py "$root" || status=1
exit $status
