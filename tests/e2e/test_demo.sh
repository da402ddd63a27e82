#!/bin/sh
# `colophon demo` on a terminal: it builds the demo repository, starts its
# Z39.50 server and opens the editor on the record assigned to you; the
# Queue and Holdings tabs show the demo's work; quitting prints the summary.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
if [ ! -r /usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz ]; then
    echo "1..0 # SKIP the LoC sample records (idzebra-2.0-examples) are not installed"
    exit 0
fi
REPO=$E2E_DIR/demo
# the demo's server outlives the editor: stop it before the harness cleans up
trap 'cli demo --stop >/dev/null 2>&1; e2e_cleanup' EXIT

e2e_start d -x 100 -y 30 -- demo
check "the editor opens on the brief record assigned to you" e2e_wait d "Opened 9910000001"
check "its title is in the title bar" e2e_wait d "The late shift"
check "the record is the brief one (its local 950)" e2e_wait d "Brief record keyed at acquisitions"
e2e_keys d M-8
check "the Queue tab: assigned to me by alice" e2e_wait d "from alice"
check "the Queue tab: an overdue reminder" e2e_wait d "OVERDUE"
e2e_keys d M-4
check "the Holdings tab: its holdings in MAIN / STACKS" e2e_wait d "MAIN / STACKS"
test -s "$REPO/serve.pid" && kill -0 "$(cat "$REPO/serve.pid")"
ok $? "the Z39.50 server runs while the editor is open"
like "$(cli external search loc-sample isbn=1562827545 2>&1)" "The late shift" \
    "the demo target answers an external search from another shell"
e2e_keys d M-2
check "the External tab offers the demo target" e2e_wait d "loc-sample"
e2e_keys d Enter
check "and its search finds the LC record of the brief one" e2e_wait d "1 record from loc-sample"
e2e_keys d C-q
check "quitting prints the summary" e2e_wait d "Colophon demo repository: $REPO"
check "with the target" e2e_wait d "Z39.50 target 'loc-sample'"
pid=$(cat "$REPO/serve.pid")
e2e_start d2 -x 100 -y 30 -- demo
check "a second run opens the editor again" e2e_wait d2 "Opened 9910000001"
is "$(cat "$REPO/serve.pid")" "$pid" "with the same server"
e2e_keys d2 C-q
check "and prints the summary" e2e_wait d2 "institution zone 1234: 36 bibs"
done_testing
