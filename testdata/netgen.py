#!/usr/bin/env python3
"""Traffic generator for testdata/make-captures.sh (standard library only).

  netgen.py server              TCP 8080 (tiny HTTP), TCP 9000 (bulk sink), UDP 9999 (echo),
                                all dual-stack on ::, until SIGTERM/SIGINT.
  netgen.py client V4 V6 BULK   one HTTP GET over IPv4 and IPv6, UDP datagrams both ways
                                (one of 2000 bytes over IPv4, so it is fragmented), then a bulk
                                upload of BULK bytes over IPv4 and BULK/2 over IPv6.
  netgen.py partial-check       reads tshark fields on stdin (see make-captures.sh) and counts the
                                bad TCP/UDP checksums that equal the folded pseudo-header sum.

Only ever talks to the addresses it is given (the test namespaces).
"""

import signal
import socket
import socketserver
import sys
import threading
import time

HTTP_PORT = 8080
BULK_PORT = 9000
UDP_PORT = 9999


class DualStackTCP(socketserver.ThreadingTCPServer):
    address_family = socket.AF_INET6
    allow_reuse_address = True
    daemon_threads = True

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


class HTTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            request += chunk
        body = b"hello from wirelens testdata\n"
        self.wfile.write(
            b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + body
        )


class BulkHandler(socketserver.BaseRequestHandler):
    def handle(self):
        total = 0
        while True:
            chunk = self.request.recv(65536)
            if not chunk:
                break
            total += len(chunk)
        self.request.sendall(b"OK %d\n" % total)


def udp_echo(stop):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(("::", UDP_PORT))
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            data, peer = sock.recvfrom(65535)
        except socket.timeout:
            continue
        sock.sendto(data, peer)


def server():
    stop = threading.Event()
    servers = [
        DualStackTCP(("::", HTTP_PORT), HTTPHandler),
        DualStackTCP(("::", BULK_PORT), BulkHandler),
    ]
    threads = [threading.Thread(target=udp_echo, args=(stop,), daemon=True)]
    threads += [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()

    def finish(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    while not stop.is_set():
        time.sleep(0.1)
    for s in servers:
        s.shutdown()
        s.server_close()


def connect(addr, port):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    deadline = time.monotonic() + 10
    while True:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.connect((addr, port))
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def recv_all(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def http_get(addr):
    with connect(addr, HTTP_PORT) as sock:
        sock.sendall(b"GET /hello HTTP/1.0\r\nHost: wirelens.test\r\n\r\n")
        reply = recv_all(sock)
    if not reply.startswith(b"HTTP/1.0 200 OK"):
        raise SystemExit("netgen: bad HTTP reply from %s: %r" % (addr, reply[:40]))


def udp_exchange(addr, payloads):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(3)
        for payload in payloads:
            sock.sendto(payload, (addr, UDP_PORT))
            data, _ = sock.recvfrom(65535)
            if data != payload:
                raise SystemExit("netgen: UDP echo mismatch from %s" % addr)


def bulk(addr, size):
    block = bytes(range(256)) * 256  # 64 KiB
    with connect(addr, BULK_PORT) as sock:
        left = size
        while left > 0:
            n = min(left, len(block))
            sock.sendall(block[:n])
            left -= n
        sock.shutdown(socket.SHUT_WR)
        reply = recv_all(sock)
    if reply.strip() != b"OK %d" % size:
        raise SystemExit("netgen: bulk reply from %s: %r" % (addr, reply))


def client(v4, v6, size):
    http_get(v4)
    http_get(v6)
    udp_exchange(v4, [b"wirelens udp v4 #1", b"wirelens udp v4 #2", b"F" * 2000])
    udp_exchange(v6, [b"wirelens udp v6 #1", b"wirelens udp v6 #2"])
    bulk(v4, size)
    bulk(v6, size // 2)


def fold(total):
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def addr_words(addr):
    if ":" in addr:
        raw = socket.inet_pton(socket.AF_INET6, addr)
    else:
        raw = socket.inet_pton(socket.AF_INET, addr)
    return sum(int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2))


def partial_check(lines):
    """Reads tshark -T fields lines (see make-captures.sh) and tells how many bad TCP/UDP
    checksums hold the folded, uncomplemented pseudo-header sum (what Linux leaves in the
    field for CHECKSUM_PARTIAL skbs)."""
    counts = {"tcp": [0, 0, 0], "udp": [0, 0, 0]}  # bad, partial, complemented partial
    for line in lines:
        f = [v.split(",")[0] for v in line.rstrip("\n").split("\t")]
        if len(f) < 12:
            continue
        ip4src, ip4dst, iplen, hdrlen, ip6src, ip6dst, plen = f[:7]
        for proto, num, cks, status, length in (
            ("tcp", 6, f[7], f[8], None),
            ("udp", 17, f[9], f[10], f[11]),
        ):
            if status != "0" or not cks:
                continue
            if ip4src:
                base = addr_words(ip4src) + addr_words(ip4dst)
                seglen = int(length) if length else int(iplen) - int(hdrlen)
            elif ip6src:
                base = addr_words(ip6src) + addr_words(ip6dst)
                seglen = int(length) if length else int(plen)
            else:
                continue
            pseudo = fold(base + num + seglen)
            counts[proto][0] += 1
            value = int(cks, 16)
            if value == pseudo:
                counts[proto][1] += 1
            elif value == (~pseudo & 0xFFFF):
                counts[proto][2] += 1
    out = []
    for proto in ("tcp", "udp"):
        bad, part, comp = counts[proto]
        if bad:
            text = "%s %d/%d=pseudo-sum" % (proto, part, bad)
            if comp:
                text += " (%d complemented)" % comp
            out.append(text)
    print(", ".join(out) if out else "-")


def main(argv):
    if len(argv) == 2 and argv[1] == "server":
        server()
    elif len(argv) == 2 and argv[1] == "partial-check":
        partial_check(sys.stdin)
    elif len(argv) == 5 and argv[1] == "client":
        client(argv[2], argv[3], int(argv[4]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
