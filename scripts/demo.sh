#!/bin/sh
# demo.sh - what `./bootstrap demo` runs once Colophon is built: `colophon
# demo` from the built tree.  It builds the demo repository from the Library
# of Congress records of Debian's idzebra-2.0-examples (first run only),
# starts its local Z39.50 server, and opens the editor on it; without a
# terminal (a pipe, CI) it prints what the demo holds and what to try
# instead.  Arguments go to `colophon demo` (--reset, --stop, --no-editor,
# DIR); `colophon demo --help` says more.
set -eu
cd "$(dirname "$0")/.."
bin=build/cli/colophon
if [ ! -x "$bin" ]; then
    echo "demo.sh: $bin is missing: build first (./bootstrap demo, or ninja -C build)" >&2
    exit 1
fi
exec "$bin" demo "$@"
