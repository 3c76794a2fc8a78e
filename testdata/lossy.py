#!/usr/bin/env python3
"""Lossy link and traffic for testdata/make-tcp-captures.sh (standard library only).

  lossy.py relay NS_B        run inside namespace A: opens TUN device wl-tun in A and in
                             NS_B (/run/netns/NS_B) and forwards IP packets between them,
                             dropping, duplicating and reordering chosen A->B TCP data
                             segments, so the kernels' TCP really retransmits.
  lossy.py server            in B: TCP 9000 bulk sink, 9001 slow reader (zero window),
                             9002 idle peer (keep-alives), 9053 DNS over TCP, UDP 123 NTP.
  lossy.py client ADDR       in A: the traffic for the servers above.

The relay's schedule is by segment count, not by chance, so every run loses the same
segments; timings come from the kernel.
"""

import ctypes
import fcntl
import os
import select
import signal
import socket
import struct
import sys
import threading
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000

# A->B TCP data segments (counted from 1) to drop, send twice, or hold back one segment.
DROP = {40, 41, 90, 150, 151, 152, 230}
DUPLICATE = {60, 200}
REORDER = {120, 260}


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def setns(path):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + path)
    finally:
        os.close(fd)


def tcp_data(pkt):
    """True for an IPv4 TCP segment carrying payload."""
    if len(pkt) < 20 or pkt[0] >> 4 != 4 or pkt[9] != 6:
        return False
    ihl = (pkt[0] & 15) * 4
    total = int.from_bytes(pkt[2:4], "big")
    if len(pkt) < ihl + 20:
        return False
    doff = (pkt[ihl + 12] >> 4) * 4
    return total - ihl - doff > 0


def send(fd, pkt):
    try:
        os.write(fd, pkt)
    except OSError:
        pass  # the other end is not up yet (EIO): a lost packet, as on a wire


def relay(ns_b):
    fa = open_tun("wl-tun")
    setns("/run/netns/" + ns_b)
    fb = open_tun("wl-tun")
    print("relay ready", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    n = 0
    held = None
    while not stop:
        try:
            r, _, _ = select.select([fa, fb], [], [], 0.2)
        except InterruptedError:
            continue
        for fd in r:
            pkt = os.read(fd, 65536)
            if fd == fb:
                send(fa, pkt)
                continue
            if not tcp_data(pkt):
                send(fb, pkt)
                continue
            n += 1
            if n in DROP:
                continue
            if n in REORDER:
                held = pkt
                continue
            send(fb, pkt)
            if n in DUPLICATE:
                send(fb, pkt)
            if held is not None:
                send(fb, held)
                held = None


class Server(threading.Thread):
    def __init__(self, port, handler, rcvbuf=0):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.bind(("0.0.0.0", port))
        self.sock.listen(8)
        self.handler = handler

    def run(self):
        while True:
            c, _ = self.sock.accept()
            threading.Thread(target=self.handler, args=(c,), daemon=True).start()


def sink(c):
    total = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        total += len(b)
    c.sendall(b"OK %d\n" % total)
    c.close()


def slow(c):
    time.sleep(1.5)
    sink(c)


def idle(c):
    while c.recv(4096):
        pass
    c.close()


def dns_tcp(c):
    """Answers each DNS query on the connection with one A record."""
    buf = b""
    while True:
        b = c.recv(4096)
        if not b:
            break
        buf += b
        while len(buf) >= 2 and len(buf) >= 2 + int.from_bytes(buf[:2], "big"):
            n = int.from_bytes(buf[:2], "big")
            q, buf = buf[2 : 2 + n], buf[2 + n :]
            qend = 12
            while q[qend] != 0:
                qend += 1 + q[qend]
            qend += 5
            ans = q[:2] + b"\x81\x80" + q[4:6] + b"\x00\x01\x00\x00\x00\x00" + q[12:qend]
            ans += b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\xc0\x00\x02\x01"
            c.sendall(len(ans).to_bytes(2, "big") + ans)
    c.close()


def ntp_server():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 123))
    while True:
        q, peer = s.recvfrom(512)
        if len(q) < 48:
            continue
        now = int((time.time() + 2208988800) * 2**32)
        ts = now.to_bytes(8, "big")
        # server mode 4, version from the query, stratum 2, poll 6, precision -20
        r = bytes([(q[0] & 0x38) | 4, 2, 6, 0xEC]) + b"\x00\x00\x01\x00" + b"\x00\x00\x02\x00"
        r += b"\xc0\x00\x02\x7b" + ts + q[40:48] + ts + ts
        s.sendto(r, peer)


def server():
    Server(9000, sink).start()
    Server(9001, slow, rcvbuf=4096).start()
    Server(9002, idle).start()
    Server(9053, dns_tcp).start()
    threading.Thread(target=ntp_server, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        time.sleep(1)


def connect(addr, port, opts=None):
    deadline = time.monotonic() + 10
    while True:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        for (level, name), value in (opts or {}).items():
            s.setsockopt(level, name, value)
        try:
            s.connect((addr, port))
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def upload(addr, port, size):
    block = bytes(range(256)) * 256
    with connect(addr, port) as s:
        left = size
        while left > 0:
            n = min(left, len(block))
            s.sendall(block[:n])
            left -= n
        s.shutdown(socket.SHUT_WR)
        reply = b""
        while True:
            b = s.recv(4096)
            if not b:
                break
            reply += b
    if reply.strip() != b"OK %d" % size:
        raise SystemExit("lossy: bad reply from port %d: %r" % (port, reply))


def keepalive(addr):
    opts = {
        (socket.SOL_SOCKET, socket.SO_KEEPALIVE): 1,
        (socket.IPPROTO_TCP, socket.TCP_KEEPIDLE): 1,
        (socket.IPPROTO_TCP, socket.TCP_KEEPINTVL): 1,
    }
    with connect(addr, 9002, opts) as s:
        s.sendall(b"hello\n")
        time.sleep(3.6)


def dns_query(name, qid):
    q = qid.to_bytes(2, "big") + b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00\x00\x01\x00\x01"


def dns(addr):
    with connect(addr, 9053) as s:
        for i, name in enumerate(["wirelens.test", "example.org"]):
            q = dns_query(name, 0x1234 + i)
            s.sendall(len(q).to_bytes(2, "big") + q)
            n = int.from_bytes(s.recv(2), "big")
            while n > 0:
                n -= len(s.recv(n))


def ntp(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    now = int((time.time() + 2208988800) * 2**32).to_bytes(8, "big")
    # client mode 3, version 4
    s.sendto(bytes([0x23, 0, 6, 0xE9]) + bytes(36) + now, (addr, 123))
    s.recvfrom(512)


def client(addr):
    upload(addr, 9000, 300000)
    upload(addr, 9001, 200000)
    keepalive(addr)
    dns(addr)
    ntp(addr)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "relay":
        relay(sys.argv[2])
    elif sys.argv[1:] == ["server"]:
        server()
    elif len(sys.argv) == 3 and sys.argv[1] == "client":
        client(sys.argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
