#!/usr/bin/env bash
# Makes REAL captures of TCP under loss and of application protocols, between two network
# namespaces joined by a user-space TUN relay (testdata/lossy.py) that drops, duplicates
# and reorders chosen segments (no tc/netem or netfilter needed). Captured on the TUN
# device at both ends (raw IP): the sender's side sees the originals and the
# retransmissions, the receiver's side the holes, duplicate ACKs and out-of-order data.
#
# Usage: testdata/make-tcp-captures.sh [OUTDIR]   (default: testdata/captures; needs root)
# Writes tcp-lossy-a.pcap, tcp-lossy-b.pcap (loss, zero window, keep-alive, DNS over TCP,
# NTP) and apps-a.pcap (HTTP via python3 http.server and curl, TLS 1.2 and 1.3 via
# openssl s_server/s_client with SNI and ALPN, SSH version exchange via sshd/ssh), each
# part skipped with a note when its tool is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
outdir=${1:-$here/captures}
die() {
	echo "make-tcp-captures: $*" >&2
	exit 1
}
[[ $EUID -eq 0 ]] || die "must run as root (it creates network namespaces)"
for t in ip tcpdump python3; do command -v $t >/dev/null || die "missing $t"; done
py=$(command -v python3)

tag=$$
nsa=wl-ta-$tag
nsb=wl-tb-$tag
work=$(mktemp -d)
pids=()
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	ip netns del "$nsa" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
	rm -rf "$work"
	((rc == 0)) || echo "make-tcp-captures: FAILED (exit $rc)" >&2
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "$nsa" "$nsb"; do
	ip netns add "$ns"
	ip -n "$ns" link set lo up
done
ip netns exec "$nsa" "$py" "$here/lossy.py" relay "$nsb" >"$work/relay.log" 2>&1 &
pids+=("$!")
for ((i = 0; i < 100; i++)); do
	grep -q ready "$work/relay.log" 2>/dev/null && break
	sleep 0.05
done
grep -q ready "$work/relay.log" || die "relay did not start: $(cat "$work/relay.log")"
ip -n "$nsa" addr add 10.77.0.1/24 dev wl-tun
ip -n "$nsb" addr add 10.77.0.2/24 dev wl-tun
ip -n "$nsa" link set wl-tun up
ip -n "$nsb" link set wl-tun up

capture() { # NS FILE
	ip netns exec "$1" tcpdump -B 65536 -n -i wl-tun -s 0 -U -w "$2" 2>"$2.log" &
	pids+=("$!")
	for ((i = 0; i < 100; i++)); do
		grep -q listening "$2.log" && return 0
		sleep 0.05
	done
	die "tcpdump did not start: $(cat "$2.log")"
}
stop_captures() {
	sleep 1
	local pid
	for pid in "${cappids[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
	if grep -hE '^[1-9][0-9]* packets dropped by kernel' "$work"/*.log; then
		die "a capture dropped packets"
	fi
}

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

# --- TCP under loss -------------------------------------------------------------------
ip netns exec "$nsb" "$py" "$here/lossy.py" server &
pids+=("$!")
sleep 0.5
capture "$nsa" "$work/tcp-lossy-a.pcap"
ca=$!
capture "$nsb" "$work/tcp-lossy-b.pcap"
cb=$!
cappids=("$ca" "$cb")
ip netns exec "$nsa" "$py" "$here/lossy.py" client 10.77.0.2
stop_captures

# --- application protocols --------------------------------------------------------------
capture "$nsa" "$work/apps-a.pcap"
cappids=("$!")
sleep 0.3
mkdir -p "$work/www"
printf 'hello from wirelens\n' >"$work/www/hello.txt"
head -c 20000 /dev/zero | tr '\0' 'x' >"$work/www/big.txt"
if command -v curl >/dev/null; then
	(cd "$work/www" && exec ip netns exec "$nsb" "$py" -m http.server 8080 --bind 10.77.0.2) >/dev/null 2>&1 &
	pids+=("$!")
	# python3 may take seconds to start on a loaded machine: wait for the
	# port rather than for a fixed time.
	for _ in $(seq 100); do
		ip netns exec "$nsb" "$py" -c 'import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(("10.77.0.2", 8080)))' && break
		sleep 0.1
	done
	ip netns exec "$nsa" curl -s -o /dev/null http://10.77.0.2:8080/hello.txt -o /dev/null http://10.77.0.2:8080/big.txt -o /dev/null http://10.77.0.2:8080/missing
else
	echo "make-tcp-captures: no curl, no HTTP" >&2
fi
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 3650 \
		-subj "/CN=wirelens.test/O=wirelens" >/dev/null 2>&1
	for v in tls1_3 tls1_2; do
		port=4433
		[[ $v == tls1_2 ]] && port=4434
		ip netns exec "$nsb" openssl s_server -quiet -accept "$port" -cert "$work/cert.pem" -key "$work/key.pem" \
			-alpn h2,http/1.1 -$v </dev/null >/dev/null 2>&1 &
		pids+=("$!")
		sleep 0.5
		echo Q | ip netns exec "$nsa" timeout 5 openssl s_client -quiet -connect 10.77.0.2:$port -servername wirelens.test \
			-alpn h2,http/1.1 -$v >/dev/null 2>&1 || true
	done
else
	echo "make-tcp-captures: no openssl, no TLS" >&2
fi
if command -v sshd >/dev/null && command -v ssh >/dev/null; then
	ssh-keygen -q -t ed25519 -N '' -f "$work/hostkey" >/dev/null
	mkdir -p /run/sshd
	ip netns exec "$nsb" "$(command -v sshd)" -D -p 2222 -h "$work/hostkey" -o PidFile=none -o UsePAM=no >/dev/null 2>&1 &
	pids+=("$!")
	sleep 0.5
	ip netns exec "$nsa" timeout 5 ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-p 2222 nobody@10.77.0.2 true >/dev/null 2>&1 || true
else
	echo "make-tcp-captures: no sshd/ssh, no SSH" >&2
fi
stop_captures

for f in tcp-lossy-a tcp-lossy-b apps-a; do
	cp "$work/$f.pcap" "$outdir/$f.pcap"
	chmod 0644 "$outdir/$f.pcap"
done
echo "make-tcp-captures: wrote $outdir/{tcp-lossy-a,tcp-lossy-b,apps-a}.pcap"
