#!/usr/bin/env python3
"""Measures how often wirelens's packet list equals tshark's.

Usage: testdata/agreement.py [--wirelens BIN] [--tshark-defaults] [--by-file] CAPTURE...

Runs `tshark -n -r F` and `wirelens -n -r F` on each capture (TZ=UTC, no
personal tshark preferences) and compares them line by line: the whole
summary line, and the Protocol column. Prints, per Protocol column value as
tshark shows it, how many packets there are and how many of them wirelens
matches, then the totals. --tshark-defaults runs wirelens with tshark's
checksum preferences (wirelens validates IP, TCP, UDP and UDP-Lite
checksums by default, tshark does not, so its Info carries checksum tags
tshark's lacks). A capture whose two outputs differ in their
number of lines counts all of its packets as different (and is named).
"""
import argparse
import collections
import os
import subprocess
import sys
import tempfile


def protocol(line):
    # "No. Time Source → Destination Protocol Length Info": the protocol is
    # the word before the length, after the arrow.
    words = line.split()
    if "→" in words:
        i = words.index("→")
        if i + 2 < len(words):
            return words[i + 2]
    return words[2] if len(words) > 2 else ""


def run(cmd, env):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    return p.stdout.decode("utf-8", "replace").splitlines()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wirelens", default="wirelens")
    ap.add_argument("--by-file", action="store_true")
    ap.add_argument("--tshark-defaults", action="store_true")
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    env = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", WIRESHARK_CONFIG_DIR=tempfile.mkdtemp(), XDG_CONFIG_HOME=tempfile.mkdtemp())
    per = collections.defaultdict(lambda: [0, 0, 0])  # packets, same line, same protocol
    files = []
    for f in a.captures:
        t = run(["tshark", "-n", "-r", f], env)
        prefs = []
        if a.tshark_defaults:
            for o in ("ip.check_checksum:FALSE", "tcp.check_checksum:FALSE", "udp.check_checksum:FALSE", "udplite.check_checksum:FALSE"):
                prefs += ["-o", o]
        w = run([a.wirelens, "-n", "-r", f] + prefs, env)
        if len(t) != len(w):
            print(f"agreement: {f}: tshark {len(t)} lines, wirelens {len(w)}", file=sys.stderr)
            w = [""] * len(t)
        same = 0
        for tl, wl in zip(t, w):
            p = protocol(tl)
            s = per[p]
            s[0] += 1
            if tl.rstrip() == wl.rstrip():
                s[1] += 1
                same += 1
            if protocol(wl) == p:
                s[2] += 1
        files.append((f, len(t), same))
    if a.by_file:
        for f, n, same in files:
            print(f"{same:6d}/{n:<6d} {f}")
        print()
    print(f"{'Protocol (tshark)':<20} {'packets':>8} {'summary':>8} {'%':>6} {'protocol':>9} {'%':>6}")
    tot = [0, 0, 0]
    for p, (n, line, col) in sorted(per.items(), key=lambda kv: (-kv[1][0], kv[0])):
        print(f"{p:<20} {n:8d} {line:8d} {100*line/n:6.1f} {col:9d} {100*col/n:6.1f}")
        for i, v in enumerate((n, line, col)):
            tot[i] += v
    n = max(tot[0], 1)
    print(f"{'total':<20} {tot[0]:8d} {tot[1]:8d} {100*tot[1]/n:6.1f} {tot[2]:9d} {100*tot[2]/n:6.1f}")


if __name__ == "__main__":
    main()
