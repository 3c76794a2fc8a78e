#!/usr/bin/env bash
# Makes REAL captures of traffic between two network namespaces joined by a veth pair,
# once with the kernel's default offloads and once with them switched off, plus a
# capture on the loopback device of a third namespace, plus overlay captures (VXLAN,
# Geneve, GRE between two hosts with a bridge and a "VM" each). See testdata/README.md.
#
# Usage: testdata/make-captures.sh [OUTDIR]     (default: testdata/captures; needs root)
# Env:   WL_BULK_BYTES  size of the IPv4 bulk upload (IPv6 gets half), default 98304
#        WL_NO_INSTALL=1  never apt-get missing tools, fail instead
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
outdir=${1:-$here/captures}
bulk=${WL_BULK_BYTES:-98304}

die() {
	echo "make-captures: $*" >&2
	exit 1
}

[[ $EUID -eq 0 ]] || die "must run as root (it creates network namespaces)"
[[ $bulk =~ ^[0-9]+$ ]] || die "WL_BULK_BYTES must be a number, got '$bulk'"

# --- tools -------------------------------------------------------------------------
ensure_tools() {
	local missing=() pair
	for pair in ip:iproute2 ethtool:ethtool tcpdump:tcpdump dumpcap:tshark tshark:tshark \
		ping:iputils-ping python3:python3; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
	done
	((${#missing[@]} == 0)) && return 0
	[[ ${WL_NO_INSTALL:-0} == 1 ]] && die "missing packages: ${missing[*]}"
	echo "make-captures: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
ensure_tools
py=$(command -v python3)

# --- namespaces ----------------------------------------------------------------------
tag=$$
nsa=wl-a-$tag
nsb=wl-b-$tag
nsl=wl-lo-$tag
# Overlay: two hosts joined by an underlay veth, each with a bridge, a tunnel
# port and a veth "VM" namespace.
ovh=(wl-ha-$tag wl-hb-$tag)
ovv=(wl-va-$tag wl-vb-$tag)
work=$(mktemp -d)
cap_pids=()
server_pids=()
tunnel_pids=()

cleanup() {
	local rc=$? pid ns
	trap - EXIT INT TERM
	for pid in "${cap_pids[@]}" "${server_pids[@]}" "${tunnel_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${cap_pids[@]}" "${server_pids[@]}" "${tunnel_pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	for ns in "$nsa" "$nsb" "$nsl" "${ovh[@]}" "${ovv[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$work"
	if ((rc != 0)); then
		echo "make-captures: FAILED (exit $rc); namespaces removed" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

new_ns() {
	local ns=$1
	ip netns add "$ns"
	# No DAD probes and no router solicitations: only the traffic we make (plus MLD and ND).
	in_ns "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
	ip -n "$ns" link set lo up
}

new_ns "$nsa"
new_ns "$nsb"
new_ns "$nsl"
ip link add veth-a netns "$nsa" type veth peer name veth-b netns "$nsb"
ip -n "$nsa" link set veth-a address 02:00:00:00:99:01
ip -n "$nsb" link set veth-b address 02:00:00:00:99:02
ip -n "$nsa" addr add 10.99.0.1/24 dev veth-a
ip -n "$nsb" addr add 10.99.0.2/24 dev veth-b
ip -n "$nsa" addr add fd00:99::1/64 dev veth-a nodad
ip -n "$nsb" addr add fd00:99::2/64 dev veth-b nodad
ip -n "$nsa" link set veth-a up
ip -n "$nsb" link set veth-b up

start_server() {
	local ns=$1
	ip netns exec "$ns" "$py" "$here/netgen.py" server &
	server_pids+=("$!")
}
start_server "$nsb"
start_server "$nsl"

# --- capture helpers ---------------------------------------------------------------
# start_capture NS LOGNAME CMD... : runs a capture tool in NS and waits until it listens.
start_capture() {
	local ns=$1 log=$work/$2.log
	shift 2
	# ip netns exec execs the tool, so $! is the tool's own pid.
	ip netns exec "$ns" "$@" 2>"$log" &
	cap_pids+=("$!")
	local i
	for ((i = 0; i < 100; i++)); do
		grep -qsE 'listening on|Capturing on' "$log" && return 0
		kill -0 "${cap_pids[-1]}" 2>/dev/null || die "capture '$*' exited early: $(cat "$log")"
		sleep 0.05
	done
	die "capture '$*' did not start: $(cat "$log")"
}

# stop_captures: SIGTERM every capture (SIGINT is ignored by background jobs of a
# non-interactive shell) and wait for each to flush its file and exit.
stop_captures() {
	local pid
	# Let the last packets leave the kernel's capture ring before stopping.
	sleep "${settle:-1.5}"
	for pid in "${cap_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${cap_pids[@]}"; do
		wait "$pid" || die "a capture process exited with an error: $(cat "$work"/*.log)"
	done
	cap_pids=()
	# tcpdump: "N packets dropped by kernel"; dumpcap: "Packets received/dropped on interface 'x': R/D".
	if grep -hE '^[1-9][0-9]* packets dropped by kernel|/[1-9][0-9]* ' "$work"/*.log; then
		die "a capture dropped packets"
	fi
	rm -f "$work"/*.log
}

set_offload() {
	local state=$1 ns dev
	for ns in "$nsa" "$nsb"; do
		dev=veth-${ns:3:1}
		in_ns "$ns" ethtool -K "$dev" tx "$state" tso "$state" gso "$state" gro off >/dev/null
		in_ns "$ns" ip neigh flush dev "$dev"
	done
}

traffic() {
	local v4=$1 v6=$2 size=$3 ns=$4
	# dumpcap says "Capturing on" a little before its socket sees packets.
	sleep "${dumpcap_wait:-1}"
	in_ns "$ns" ping -n -q -c 2 -i 0.2 "$v4" >/dev/null
	in_ns "$ns" ping -n -q -c 2 -i 0.2 "$v6" >/dev/null
	in_ns "$ns" "$py" "$here/netgen.py" client "$v4" "$v6" "$size"
}

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

# --- veth captures, with and without offload -------------------------------------------
for mode in offload nooffload; do
	p=$outdir/veth-$mode
	echo "== veth, $mode"
	if [[ $mode == offload ]]; then set_offload on; else set_offload off; fi
	start_capture "$nsa" "$mode-a-eth" tcpdump --immediate-mode -B 32768 -n -i veth-a -s 0 -U -w "$p-a-eth.pcap"
	start_capture "$nsa" "$mode-a-any" tcpdump --immediate-mode -B 32768 -n -i any -y LINUX_SLL2 -s 0 -U -w "$p-a-any-sll2.pcap"
	start_capture "$nsb" "$mode-b-eth" tcpdump --immediate-mode -B 32768 -n -i veth-b -s 0 -U -w "$p-b-eth.pcap"
	start_capture "$nsa" "$mode-a-ng" dumpcap -q -B 32 -i veth-a -s 0 -w "$p-a-dumpcap.pcapng"
	traffic 10.99.0.2 fd00:99::2 "$bulk" "$nsa"
	stop_captures
done

# --- loopback capture ------------------------------------------------------------------
echo "== loopback"
start_capture "$nsl" lo-eth tcpdump --immediate-mode -B 32768 -n -i lo -s 0 -U -w "$outdir/lo-offload-eth.pcap"
start_capture "$nsl" lo-any tcpdump --immediate-mode -B 32768 -n -i any -y LINUX_SLL2 -s 0 -U -w "$outdir/lo-offload-any-sll2.pcap"
traffic 127.0.0.1 ::1 $((bulk / 2)) "$nsl"
stop_captures


# --- overlays ------------------------------------------------------------------------
# Host namespaces ha and hb are joined by the underlay veth ul-a/ul-b (10.98.0.0/24); in
# each, a bridge br0 joins the tunnel port to a veth whose peer eth0 is the "VM" (va, vb:
# 10.97.0.1/2, fd00:97::1/2). VXLAN is the kernel's device; Geneve and GRE with checksums,
# which this kernel may lack, go through testdata/tunnel over a tap port, computing the
# outer checksum as the kernel's devices do (see that file).
command -v go >/dev/null 2>&1 || die "go is needed to build testdata/tunnel (the module's Go version)"
(cd "$here/.." && go build -o "$work/tunnel" ./testdata/tunnel) || die "cannot build testdata/tunnel"

ov_sides=(a b)

ov_up() {
	local kind=$1 arg=$2 flip=$3 s i h v loc rem mtu=1450
	[[ $kind == geneve ]] && mtu=1442 # 8 bytes of Geneve option
	for ns in "${ovh[@]}" "${ovv[@]}"; do new_ns "$ns"; done
	ip link add ul-a netns "${ovh[0]}" type veth peer name ul-b netns "${ovh[1]}"
	for i in 0 1; do
		s=${ov_sides[i]}
		h=${ovh[i]} v=${ovv[i]} loc=10.98.0.$((i + 1)) rem=10.98.0.$((2 - i))
		ip -n "$h" link set "ul-$s" address "02:00:00:00:98:0$((i + 1))"
		ip -n "$h" addr add "$loc/24" dev "ul-$s"
		ip -n "$h" link set "ul-$s" up
		ip -n "$h" link add br0 type bridge
		if [[ $kind == vxlan ]]; then
			ip -n "$h" link add ov0 type vxlan id 42 local "$loc" remote "$rem" dstport "$arg" $flip dev "ul-$s"
		else
			# Only host a damages frames, so the truth file names frames of one sender.
			local opts=(-tap ov0 -local "$loc" -remote "$rem" -proto "$kind")
			[[ $arg == offload ]] && opts+=(-offload)
			((i == 0)) && [[ -n $flip ]] && opts+=(-flip "$flip" -truth "$work/truth")
			ip netns exec "$h" "$work/tunnel" "${opts[@]}" 2>"$work/tunnel-$s.log" &
			tunnel_pids+=("$!")
			local n
			for ((n = 0; n < 100; n++)); do
				grep -qs listening "$work/tunnel-$s.log" && break
				kill -0 "${tunnel_pids[-1]}" 2>/dev/null || die "tunnel exited: $(cat "$work/tunnel-$s.log")"
				sleep 0.05
			done
		fi
		ip -n "$h" link set ov0 master br0 mtu "$mtu"
		ip link add "vm-$s" netns "$h" type veth peer name eth0 netns "$v"
		ip -n "$h" link set "vm-$s" master br0 mtu "$mtu"
		ip -n "$v" link set eth0 address "02:00:00:00:97:0$((i + 1))" mtu "$mtu"
		ip -n "$v" addr add "10.97.0.$((i + 1))/24" dev eth0
		ip -n "$v" addr add "fd00:97::$((i + 1))/64" dev eth0 nodad
		ip -n "$h" link set ov0 up
		ip -n "$h" link set br0 up
		ip -n "$h" link set "vm-$s" up
		ip -n "$v" link set eth0 up
	done
	ip netns exec "${ovv[1]}" "$py" "$here/netgen.py" server &
	server_pids+=("$!")
}

# ov_offload_off: no checksum or segmentation offload on any device of the path.
ov_offload_off() {
	local i s
	for i in 0 1; do
		s=${ov_sides[i]}
		in_ns "${ovv[i]}" ethtool -K eth0 tx off tso off gso off gro off >/dev/null
		for dev in "vm-$s" br0 ov0 "ul-$s"; do
			in_ns "${ovh[i]}" ethtool -K "$dev" tx off tso off gso off gro off >/dev/null 2>&1 || true
		done
	done
}

ov_down() {
	local pid ns
	for pid in "${server_pids[@]}" "${tunnel_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${server_pids[@]}" "${tunnel_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	server_pids=() tunnel_pids=()
	for ns in "${ovh[@]}" "${ovv[@]}"; do ip netns del "$ns"; done
}

# ov_capture NAME WHERE...: WHERE is underlay, bridge or vm (all on host a's side).
ov_capture() {
	local name=$1 w
	shift
	for w in "$@"; do
		local p=$outdir/overlay-$name-$w.pcap
		case $w in
		underlay) start_capture "${ovh[0]}" "$name-$w" tcpdump --immediate-mode -B 32768 -n -i ul-a -s 0 -U -w "$p" ;;
		bridge) start_capture "${ovh[0]}" "$name-$w" tcpdump --immediate-mode -B 32768 -n -i br0 -s 0 -U -w "$p" ;;
		vm) start_capture "${ovv[0]}" "$name-$w" tcpdump --immediate-mode -B 32768 -n -i eth0 -s 0 -U -w "$p" ;;
		esac
	done
	# tcpdump alone, no dumpcap: no need to wait as long.
	dumpcap_wait=0.2 traffic 10.97.0.2 fd00:97::2 "$ov_bulk" "${ovv[0]}"
	settle=0.7 stop_captures
}

ov_bulk=16384
for csum in udpcsum noudpcsum; do
	for mode in offload nooffload; do
		name=vxlan-${csum%udpcsum}csum-$mode
		echo "== overlay $name"
		ov_up vxlan 4789 "$csum"
		[[ $mode == nooffload ]] && ov_offload_off
		ov_capture "$name" underlay bridge vm
		ov_down
	done
done
echo "== overlay vxlan8472 (Linux's default port)"
ov_up vxlan 8472 udpcsum
ov_capture vxlan8472-csum-offload underlay
ov_down
for kind in geneve gre; do
	for mode in offload nooffload; do
		echo "== overlay $kind-$mode (testdata/tunnel)"
		rm -f "$work/truth"
		ov_up "$kind" "$mode" 3,7,11
		[[ $mode == nooffload ]] && ov_offload_off
		ov_capture "$kind-$mode" underlay vm
		cp "$work/truth" "$outdir/overlay-$kind-$mode.truth"
		ov_down
	done
done

# tcpdump writes as its own user and dumpcap with mode 0600: make the files ordinary.
chown "$(id -u):$(id -g)" "$outdir"/veth-*.pcap* "$outdir"/lo-*.pcap* "$outdir"/overlay-*
chmod 0644 "$outdir"/veth-*.pcap* "$outdir"/lo-*.pcap* "$outdir"/overlay-*

# tshark, without its "Running as user root" warning; other errors are shown.
ts() {
	tshark "$@" 2>"$work/tshark.err" || die "tshark $* failed: $(cat "$work/tshark.err")"
}

# Same number of TCP frames in every capture of one run (no capture lost packets).
check_same_tcp() {
	local f n first=""
	for f in "$@"; do
		n=$(ts -n -r "$f" -Y tcp | wc -l)
		[[ -z $first ]] && first=$n
		[[ $n == "$first" ]] || die "capture $f has $n TCP frames, $1 has $first"
	done
}
check_same_tcp "$outdir"/veth-offload-*.pcap*
check_same_tcp "$outdir"/veth-nooffload-*.pcap*
check_same_tcp "$outdir"/lo-*.pcap*

# --- summary -------------------------------------------------------------------------
prefs=(-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE)
echo
echo "== summary (bad checksums per protocol, tshark ${prefs[*]})"
printf '%-32s %7s %8s %6s %6s %6s %6s %6s %8s %s\n' file frames maxlen ip tcp udp icmp icmpv6 direction partial-sum
for f in "$outdir"/veth-*.pcap* "$outdir"/lo-*.pcap*; do
	ts -n -r "$f" "${prefs[@]}" -T fields -E separator=/t \
		-e frame.len -e ip.checksum.status -e tcp.checksum.status -e udp.checksum.status \
		-e icmp.checksum.status -e icmpv6.checksum.status -e frame.packet_flags_direction \
		>"$work/sum.txt"
	ts -n -r "$f" "${prefs[@]}" -T fields -E separator=/t \
		-e ip.src -e ip.dst -e ip.len -e ip.hdr_len -e ipv6.src -e ipv6.dst -e ipv6.plen \
		-e tcp.checksum -e tcp.checksum.status -e udp.checksum -e udp.checksum.status -e udp.length \
		>"$work/partial.txt"
	awk -F'\t' -v name="$(basename "$f")" -v partial="$("$py" "$here/netgen.py" partial-check <"$work/partial.txt")" '
		function bad(s,   n, i, a) { n = split(s, a, ","); c = 0; for (i = 1; i <= n; i++) if (a[i] == "0") c++; return c }
		{ frames++; if ($1 > max) max = $1; for (i = 2; i <= 6; i++) b[i] += bad($i); if ($7 != "") dir++ }
		END { printf "%-32s %7d %8d %6d %6d %6d %6d %6d %8s %s\n", name, frames, max, b[2], b[3], b[4], b[5], b[6], (dir ? "yes" : "no"), partial }
	' "$work/sum.txt"
done
du -ch "$outdir"/veth-*.pcap* "$outdir"/lo-*.pcap* | tail -n 1

# --- overlay outer checksums (testdata/overlaycheck.py) ------------------------------------
# With offload every outer checksum that is wrong as it stands is LCO or partial; with the
# tunnel's damage exactly the damaged frames are neither; without offload all are correct.
echo
echo "== overlay outer checksums (overlaycheck.py)"
for f in "$outdir"/overlay-*-underlay.pcap; do
	b=$(basename "$f" -underlay.pcap)
	t=$outdir/$b.truth
	if [[ -f $t ]]; then
		printf '%-40s %s\n' "$(basename "$f")" "$("$py" "$here/overlaycheck.py" "$f" --truth "$t")" ||
			die "outer checksums of $f do not match $t"
	else
		printf '%-40s %s\n' "$(basename "$f")" "$("$py" "$here/overlaycheck.py" "$f")" ||
			die "outer checksums of $f have no offload pattern"
	fi
done
