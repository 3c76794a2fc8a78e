#!/usr/bin/env python3
"""Checks the outer checksums of an overlay underlay capture (standard library only).

  overlaycheck.py CAPTURE [--truth FILE] [--expect-bad]

CAPTURE is a little-endian microsecond pcap of Ethernet frames carrying VXLAN (UDP 4789 or
8472), Geneve (UDP 6081) or GRE with a checksum, over IPv4. Every outer UDP or GRE checksum
is put in one class:

  zero      UDP checksum 0 (VXLAN may do without, RFC 7348)
  correct   right as the bytes stand
  partial   the folded pseudo-header sum, left for the device (CHECKSUM_PARTIAL)
  lco       wrong as it stands, right once the inner TCP/UDP checksum, which holds the
            partial sum, is filled in: local checksum offload (the inner checksum was
            offloaded to the device)
  bad       none of these

It prints one line of counts. With --truth (the list testdata/tunnel writes of the frames it
damaged, by outer ip.id) the frames classed bad must be exactly those, else it exits 1.
Without --truth any bad frame fails unless --expect-bad.
"""

import struct
import sys


def words(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))


def fold(s):
    while s > 0xFFFF:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if struct.unpack("<I", data[:4])[0] != 0xA1B2C3D4:
        raise SystemExit("overlaycheck: %s: not a little-endian microsecond pcap" % path)
    off = 24
    while off + 16 <= len(data):
        caplen, origlen = struct.unpack("<II", data[off + 8 : off + 16])
        yield data[off + 16 : off + 16 + caplen], caplen == origlen
        off += 16 + caplen


def inner_partial(eth):
    """Where an inner IPv4/IPv6 TCP/UDP checksum holding the partial sum is:
    (l4 start, field offset, l4 end) in eth, or None."""
    if len(eth) < 14:
        return None
    et = struct.unpack("!H", eth[12:14])[0]
    if et == 0x0800 and len(eth) >= 34:
        ip = eth[14:]
        ihl = (ip[0] & 15) * 4
        if struct.unpack("!H", ip[6:8])[0] & 0x3FFF:
            return None
        proto, l4len = ip[9], struct.unpack("!H", ip[2:4])[0] - ihl
        pseudo = words(ip[12:20]) + proto + l4len
        start = 14 + ihl
    elif et == 0x86DD and len(eth) >= 54:
        ip = eth[14:]
        proto, l4len = ip[6], struct.unpack("!H", ip[4:6])[0]
        pseudo = words(ip[8:40]) + proto + l4len
        start = 54
    else:
        return None
    if proto not in (6, 17):
        return None
    field = start + (16 if proto == 6 else 6)
    if field + 2 > len(eth) or struct.unpack("!H", eth[field : field + 2])[0] != fold(pseudo):
        return None
    return start, field, start + l4len


def classify(frame):
    """(class, ip.id) of an IPv4 frame's outer checksum, or None if it carries no overlay."""
    if len(frame) < 34 or struct.unpack("!H", frame[12:14])[0] != 0x0800:
        return None
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    if struct.unpack("!H", ip[6:8])[0] & 0x3FFF:
        return None  # a fragment: its checksum covers more than this frame
    ipid = struct.unpack("!H", ip[4:6])[0]
    body = ip[ihl : struct.unpack("!H", ip[2:4])[0]]
    if ip[9] == 17 and len(body) >= 16:
        port = struct.unpack("!H", body[2:4])[0]
        if port in (4789, 8472):
            hdr = 16
        elif port == 6081:
            hdr = 16 + (body[8] & 0x3F) * 4
        else:
            return None
        ck_at, pseudo = 6, words(ip[12:20]) + 17 + len(body)
        ck = struct.unpack("!H", body[6:8])[0]
        if ck == 0:
            return "zero", ipid
    elif ip[9] == 47 and len(body) >= 8 and body[0] & 0x80:
        hdr = 4 + 4 * (1 + ((body[0] >> 5) & 1) + ((body[0] >> 4) & 1))
        ck_at, pseudo = 4, 0
        ck = struct.unpack("!H", body[4:6])[0]
    else:
        return None
    if fold(pseudo + words(body)) == 0xFFFF:
        return "correct", ipid
    if ck_at == 6 and ck == fold(pseudo):
        return "partial", ipid
    part = inner_partial(body[hdr:])
    if part:
        start, field, end = (hdr + x for x in part)
        # The field holds the inner pseudo-header sum: summing the segment
        # with it in place gives the sum the filled-in checksum completes.
        fixed = bytearray(body)
        fixed[field : field + 2] = struct.pack("!H", ~fold(words(body[start:end])) & 0xFFFF)
        if fold(pseudo + words(bytes(fixed))) == 0xFFFF:
            return "lco", ipid
    return "bad", ipid


def main(argv):
    args = argv[1:]
    truth_path, expect_bad = None, False
    if "--truth" in args:
        i = args.index("--truth")
        truth_path = args[i + 1]
        del args[i : i + 2]
    if "--expect-bad" in args:
        args.remove("--expect-bad")
        expect_bad = True
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    counts = {k: 0 for k in ("zero", "correct", "partial", "lco", "bad")}
    bad_ids, bad_frames = set(), []
    for n, (frame, whole) in enumerate(frames(args[0]), 1):
        c = classify(frame) if whole else None
        if c is None:
            continue
        counts[c[0]] += 1
        if c[0] == "bad":
            bad_ids.add(c[1])
            bad_frames.append(n)
    print(" ".join("%s=%d" % kv for kv in counts.items()), "bad-frames=%s" % (",".join(map(str, bad_frames)) or "-"))
    if truth_path:
        with open(truth_path) as f:
            want = {int(l.split()[0], 16) for l in f if l.strip() and not l.startswith("#")}
        if want != bad_ids:
            sys.stderr.write("overlaycheck: %s: bad outer checksums on ip.id %s, damaged were %s\n" % (
                args[0], sorted(map(hex, bad_ids)), sorted(map(hex, want))))
            return 1
    elif bad_ids and not expect_bad:
        sys.stderr.write("overlaycheck: %s: outer checksums with no offload pattern\n" % args[0])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
