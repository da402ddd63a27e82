#!/usr/bin/env python3
"""record-breaker.py PORT UPSTREAM_PORT TEXT - a Z39.50 proxy on
127.0.0.1:PORT to 127.0.0.1:UPSTREAM_PORT that passes every PDU through but
breaks, in the ISO 2709 records it carries, the directory of each record
holding TEXT: its first entry's length and start become "XXXXXXXXX".  No
length changes, so the PDU is still good BER; a client sees a real server
send one malformed record among good ones.  Used by
tests/cli/test_z3950_errors.sh and tests/e2e/test_external_merge.sh."""
import re, socket, sys, threading
port, upstream, bad = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode()
leader = re.compile(rb"(\d{5})[acdnp][a-z ][a-z ][ a][ a]22\d{5}")

def pdus(sock):
    """The stream in BER elements, each primitive one whole: an element of
    definite length comes whole, one of indefinite length (0x80) as its
    header, then its contents element by element, then its end (00 00)."""
    buf = b""
    while True:
        while len(buf) >= 2:
            i = 1
            if buf[0] & 0x1F == 0x1F:  # a tag of more than one byte
                while i < len(buf) and buf[i] & 0x80:
                    i += 1
                i += 1
            if i >= len(buf):
                break
            n = buf[i]
            i += 1
            if n & 0x80:
                k = n & 0x7F
                if len(buf) < i + k:
                    break
                n = int.from_bytes(buf[i:i + k], "big")
                i += k
            if len(buf) < i + n:
                break
            yield buf[:i + n]
            buf = buf[i + n:]
        data = sock.recv(65536)
        if not data:
            return
        buf += data

def corrupt(pdu):
    pdu = bytearray(pdu)
    for m in leader.finditer(bytes(pdu)):
        start, length = m.start(), int(m.group(1))
        record = pdu[start:start + length]
        if record.endswith(b"\x1d") and bad in record:  # a whole record, the one
            pdu[start + 27:start + 36] = b"XXXXXXXXX"
    return bytes(pdu)

def pipe(src, dst, change):
    try:
        for pdu in pdus(src):
            dst.sendall(change(pdu))
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(8)
while True:
    client, _ = s.accept()
    server = socket.create_connection(("127.0.0.1", upstream))
    threading.Thread(target=pipe, args=(client, server, lambda b: b), daemon=True).start()
    threading.Thread(target=pipe, args=(server, client, corrupt), daemon=True).start()
