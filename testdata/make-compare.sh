#!/usr/bin/env bash
# Makes REAL captures at both ends of a faulty path, for wirelens --compare:
# network namespaces cmp-a (10.98.0.1, fd00:98::1) and cmp-b (10.98.0.2, fd00:98::2)
# joined by two tap devices and testdata/relay, a user-space "sending NIC + wire"
# that finishes the frames A's kernel leaves to the device (TSO super-frames,
# partial checksums) and damages chosen TCP data segments on the way to B, logging
# what it did (see testdata/relay/main.go). Each end is captured twice: with
# tcpdump (pcap) and with wirelens (pcapng, with the kernel's checksum state).
#
# Usage: testdata/make-compare.sh [OUTDIR]   (default testdata/compare; needs root)
# Env:   CMP_DAMAGE   the relay's -damage list (default below)
#        CMP_BULK     bytes of the IPv4 bulk upload (IPv6 gets half), default 49152
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
outdir=${1:-$here/compare}
bulk=${CMP_BULK:-49152}
damage=${CMP_DAMAGE:-4:flip,7:badsum,10:partial,13:predamage,16:drop,20:flip,24:badsum,28:partial,32:predamage,36:drop,41:flip,46:partial,51:predamage,56:badsum,61:drop}

die() {
	echo "make-compare: $*" >&2
	exit 1
}
[[ $EUID -eq 0 ]] || die "must run as root (it creates network namespaces and tap devices)"
for t in ip ethtool tcpdump ping python3 go; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done
py=$(command -v python3)

tag=$$
nsa=cmp-a-$tag
nsb=cmp-b-$tag
tapa=cmpa$tag
tapb=cmpb$tag
work=$(mktemp -d)
pids=()
relay_pid=""

cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in "${pids[@]}" $relay_pid; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}" $relay_pid; do
		wait "$pid" 2>/dev/null || true
	done
	ip netns del "$nsa" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
	rm -rf "$work"
	((rc == 0)) || echo "make-compare: FAILED (exit $rc)" >&2
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$root" && go build -o "$work/relay" ./testdata/relay && go build -o "$work/wirelens" ./cmd/wirelens)

for ns in "$nsa" "$nsb"; do
	ip netns add "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
	ip -n "$ns" link set lo up
done

# The relay opens both taps in this namespace; they keep its file descriptors
# when they move into theirs.
"$work/relay" -a "$tapa" -b "$tapb" -damage "$damage" -truth "$work/truth.log" >"$work/relay.out" 2>"$work/relay.err" &
relay_pid=$!
for ((i = 0; i < 100; i++)); do
	grep -qs ready "$work/relay.out" && break
	kill -0 "$relay_pid" 2>/dev/null || die "relay exited: $(cat "$work/relay.err")"
	sleep 0.05
done
grep -qs ready "$work/relay.out" || die "relay did not start"

ip link set "$tapa" netns "$nsa"
ip link set "$tapb" netns "$nsb"
ip -n "$nsa" link set "$tapa" address 02:00:00:00:98:01
ip -n "$nsb" link set "$tapb" address 02:00:00:00:98:02
ip -n "$nsa" addr add 10.98.0.1/24 dev "$tapa"
ip -n "$nsb" addr add 10.98.0.2/24 dev "$tapb"
ip -n "$nsa" addr add fd00:98::1/64 dev "$tapa" nodad
ip -n "$nsb" addr add fd00:98::2/64 dev "$tapb" nodad
ip -n "$nsa" link set "$tapa" up
ip -n "$nsb" link set "$tapb" up
# Offloads on at the sender (checksum and TSO: the relay is its NIC); no
# coalescing at the receiver, so B's captures see the frames as they arrived.
ip netns exec "$nsa" ethtool -K "$tapa" tx on tso on gso on >/dev/null
ip netns exec "$nsb" ethtool -K "$tapb" gro off >/dev/null 2>&1 || true
# Static neighbours: the captures hold only the traffic made here.
ip -n "$nsa" neigh add 10.98.0.2 lladdr 02:00:00:00:98:02 dev "$tapa" nud permanent
ip -n "$nsb" neigh add 10.98.0.1 lladdr 02:00:00:00:98:01 dev "$tapb" nud permanent
ip -n "$nsa" neigh add fd00:98::2 lladdr 02:00:00:00:98:02 dev "$tapa" nud permanent
ip -n "$nsb" neigh add fd00:98::1 lladdr 02:00:00:00:98:01 dev "$tapb" nud permanent

ip netns exec "$nsb" "$py" "$here/netgen.py" server &
pids+=("$!")

start_capture() {
	local ns=$1 log=$work/$2.log
	shift 2
	ip netns exec "$ns" "$@" 2>"$log" &
	pids+=("$!")
	for ((i = 0; i < 100; i++)); do
		grep -qsE 'listening on|Capturing on' "$log" && return 0
		sleep 0.05
	done
	die "capture '$*' did not start: $(cat "$log")"
}
start_capture "$nsa" a-pcap tcpdump --immediate-mode -B 32768 -n -i "$tapa" -s 0 -U -w "$work/a.pcap"
start_capture "$nsa" a-ng "$work/wirelens" -i "$tapa" -w "$work/a.pcapng"
start_capture "$nsb" b-pcap tcpdump --immediate-mode -B 32768 -n -i "$tapb" -s 0 -U -w "$work/b.pcap"
start_capture "$nsb" b-ng "$work/wirelens" -i "$tapb" -w "$work/b.pcapng"
sleep 0.5

ip netns exec "$nsa" ping -n -q -c 2 -i 0.2 10.98.0.2 >/dev/null
ip netns exec "$nsa" ping -n -q -c 2 -i 0.2 fd00:98::2 >/dev/null
ip netns exec "$nsa" "$py" "$here/netgen.py" client 10.98.0.2 fd00:98::2 "$bulk"
sleep 1.5
for pid in "${pids[@]}"; do
	kill -TERM "$pid" 2>/dev/null || true
done
for pid in "${pids[@]}"; do
	wait "$pid" 2>/dev/null || true
done
pids=()
if grep -hE '^[1-9][0-9]* packets dropped by kernel' "$work"/*.log; then
	die "a capture dropped packets"
fi

mkdir -p "$outdir"
# Names without the run's tag, so the files are the same from run to run.
for f in a.pcap a.pcapng b.pcap b.pcapng truth.log; do
	cp "$work/$f" "$outdir/$f"
done
chmod 0644 "$outdir"/*
echo "make-compare: wrote $(ls "$outdir" | tr '\n' ' ')in $outdir; damage done:"
cat "$outdir/truth.log"
