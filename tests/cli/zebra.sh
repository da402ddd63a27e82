# zebra.sh - start and stop a real Zebra Z39.50 server for the tests
# (sourced by test_z3950_client.sh and tests/bench/bench_z3950.sh).
#
#   zebra_have                     true when zebraidx and zebrasrv are installed
#   free_port                      print a TCP port nobody listens on (127.0.0.1)
#   wait_port PORT [SECONDS]       wait until something accepts on PORT
#   zebra_start DIR CFGDIR PORT FILE...
#                                  index the ISO 2709 FILEs with the
#                                  configuration of CFGDIR (tests/data/zebra)
#                                  in DIR and serve them on 127.0.0.1:PORT;
#                                  sets zebra_pid.  The caller's trap calls
#                                  zebra_stop.
zebra_pid=""

zebra_have() {
    command -v zebraidx >/dev/null 2>&1 && command -v zebrasrv >/dev/null 2>&1
}

free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
    python3 - "$1" "${2:-15}" <<'EOF'
import socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + limit
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
}

zebra_start() {
    zdir=$1 zcfg=$2 zport=$3
    shift 3
    mkdir -p "$zdir/register" "$zdir/lock" "$zdir/tmp" "$zdir/recs" || return 1
    cp "$zcfg"/zebra.cfg "$zcfg"/*.abs "$zcfg"/*.att "$zdir/" || return 1
    for f in "$@"; do cp "$f" "$zdir/recs/" || return 1; done
    (cd "$zdir" && zebraidx -l zebraidx.log -c zebra.cfg init &&
        zebraidx -l zebraidx.log -c zebra.cfg update recs) >/dev/null 2>&1 || return 1
    (cd "$zdir" && exec zebrasrv -l zebrasrv.log -c zebra.cfg "tcp:127.0.0.1:$zport") >/dev/null 2>&1 &
    zebra_pid=$!
    wait_port "$zport" 15
}

zebra_stop() {
    [ -n "$zebra_pid" ] && kill "$zebra_pid" 2>/dev/null && wait "$zebra_pid" 2>/dev/null
    zebra_pid=""
}
