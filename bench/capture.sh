#!/usr/bin/env bash
# capture.sh: live capture, wirelens -i vs tcpdump -i, on the same UDP bursts.
#
# usage: bench/capture.sh [--quick]
#
#   --quick   one paced rate (20k pps) and a 50,000-packet full-speed burst
#
# environment:
#   WIRELENS=path  use this binary instead of building ./cmd/wirelens
#   RATES="20000 50000 100000"  paced send rates, packets/s
#   SECS=2         length of each paced burst (rate x SECS packets)
#   N=200000       packets in the full-speed burst ("max")
#   SIZE=32        UDP payload bytes (a 74-byte frame on lo)
#   BUF=4096       kernel buffer in KiB, -B for both tools
#   VETH=1         also run every burst across a veth pair (capture on the
#                  receiving end) after the lo runs
#   KEEP=1         keep the work directory (captures, stderr of each run)
#
# Everything runs in network namespaces made for the run (wlcap-PID-*,
# removed on exit); no packet leaves them. For each burst a python3 sender
# in the namespace sends datagrams to 127.0.0.1:9999 (a bound socket that
# is never read, so no ICMP), first while `wirelens -i lo -w F.pcapng`
# captures, then while `tcpdump -i lo -w F.pcap` does, both with -B $BUF,
# -s default and the filter "udp port 9999". After the burst the script
# waits until the output file stops growing (at least 1.5 s: tcpdump's
# ring blocks time out after 1 s), sends SIGINT and parses the tools'
# "packets captured / received by filter / dropped by kernel" lines.
# The file is read back with capinfos (Wireshark's reader) and the count
# must equal "captured". "missing" is sent - captured: packets lost
# without the kernel counting them as drops show up there.
#
# Verdict: the highest burst where tcpdump captured everything (0 dropped,
# 0 missing); wirelens must also capture everything in that burst, and
# every file must read back with the announced count.
#
# Exit status: 0 pass, 1 wirelens dropped/missed packets where tcpdump did
# not, or a file did not read back, 3 no wirelens binary, 4 tcpdump lost
# packets in every burst (no verdict: lower RATES).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=0
for arg in "$@"; do
	case $arg in
	--quick) quick=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "capture.sh: unknown argument $arg" >&2
		exit 2
		;;
	esac
done

if ((quick)); then
	rates=${RATES:-20000} nmax=${N:-50000}
else
	rates=${RATES:-20000 50000 100000} nmax=${N:-200000}
fi
secs=${SECS:-2}
size=${SIZE:-32}
buf=${BUF:-4096}
port=9999
cfilter="udp port $port"

if ((EUID != 0)); then
	echo "capture.sh: needs root (network namespaces, packet sockets)" >&2
	exit 2
fi
for t in ip tcpdump capinfos python3; do
	command -v "$t" >/dev/null || { echo "capture.sh: $t not found" >&2; exit 2; }
done
# Bounds: every paced burst at most 10 s and 1,000,000 packets.
for r in $rates; do
	if ! [[ $r =~ ^[0-9]+$ ]] || ((r == 0 || r * secs > 1000000 || secs > 10)); then
		echo "capture.sh: rate $r x SECS=$secs out of bounds (max 10 s, 1,000,000 packets)" >&2
		exit 2
	fi
done
if ((nmax > 1000000)); then
	echo "capture.sh: N=$nmax: at most 1,000,000" >&2
	exit 2
fi

tmp=$(mktemp -d /tmp/wirelens-capture.XXXXXX)
ns=wlcap-$$
nsb=$ns-b # veth receiver; $ns is the sender (and lo) namespace
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del "$ns" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
	if [[ ${KEEP:-0} == 1 ]]; then
		echo "work directory kept: $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$tmp"

# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
find_wirelens

log "namespace $ns (lo up)"
ip netns add "$ns"
ip -n "$ns" link set lo up
if [[ ${VETH:-0} == 1 ]]; then
	log "namespace $nsb, veth wlcap0 (10.77.0.1) -> wlcap1 (10.77.0.2)"
	ip netns add "$nsb"
	ip -n "$nsb" link set lo up
	ip -n "$ns" link add wlcap0 type veth peer name wlcap1 netns "$nsb"
	ip -n "$ns" addr add 10.77.0.1/24 dev wlcap0
	ip -n "$nsb" addr add 10.77.0.2/24 dev wlcap1
	ip -n "$ns" link set wlcap0 up
	ip -n "$nsb" link set wlcap1 up
	# Static neighbours: no ARP during a burst.
	ip -n "$ns" neigh replace 10.77.0.2 lladdr "$(ip -n "$nsb" -br link show wlcap1 | awk '{print $3}')" dev wlcap0 nud permanent
fi

# send.py N RATE SIZE DST PORT [sink]: sends N datagrams (8-byte sequence
# number + padding) at RATE packets/s (0: as fast as possible), paced in
# groups of ~0.5 ms. With "sink" it first binds DST:PORT itself and never
# reads it. Prints "sent seconds errors".
cat >"$tmp/send.py" <<'EOF'
import socket, struct, sys, time
n, rate, size, dst, port = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
if len(sys.argv) > 6 and sys.argv[6] == "sink":
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sink.bind((dst, port))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((dst, port))
send, pack, pad = s.send, struct.Struct("!Q").pack, b"\0" * max(0, size - 8)
errors, i = 0, 0
t0 = time.perf_counter()
step = n if rate <= 0 else max(1, int(rate / 2000))
while i < n:
    if rate > 0:
        wait = t0 + i / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
    for i in range(i, min(i + step, n)):
        try:
            send(pack(i) + pad)
        except OSError:
            errors += 1
    i += 1
print(n, "%.3f" % (time.perf_counter() - t0), errors)
EOF

# sink.py DST PORT SECONDS: holds DST:PORT bound (never read) for the veth
# receiver namespace, then exits.
cat >"$tmp/sink.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.bind((sys.argv[1], int(sys.argv[2])))
time.sleep(float(sys.argv[3]))
EOF

fsize() { stat -c %s "$1" 2>/dev/null || echo 0; }
now() { date +%s.%N; }

# run NAME TOOL LINK RATE COUNT: one capture of one burst. Writes
# "sent secs errors captured received dropped readback cpu drain rc" to
# $tmp/NAME.res.
run() {
	local name=$1 tool=$2 link=$3 rate=$4 count=$5
	local cns=$ns ifc=lo dst=127.0.0.1 sinkarg=sink out pid i ready=0
	if [[ $link == veth ]]; then
		cns=$nsb ifc=wlcap1 dst=10.77.0.2 sinkarg=""
	fi
	local err=$tmp/$name.err
	case $tool in
	wirelens)
		out=$tmp/$name.pcapng
		ip netns exec "$cns" "$wirelens" -i "$ifc" -B "$buf" -w "$out" -f "$cfilter" 2>"$err" &
		;;
	tcpdump)
		out=$tmp/$name.pcap
		ip netns exec "$cns" tcpdump -i "$ifc" -n -Z root -B "$buf" -w "$out" "$cfilter" 2>"$err" &
		;;
	esac
	pid=$!
	pids+=("$pid")
	for ((i = 0; i < 100; i++)); do
		if grep -q -e 'listening on' -e '^Capturing on' "$err"; then
			ready=1
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ((!ready)); then
		log "  $name: $tool did not start:"
		sed 's/^/     /' "$err" | head -5 >&2
		kill -INT "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		echo "0 0 0 - - - - - - 1" >"$tmp/$name.res"
		return
	fi
	sleep 0.3
	local spid=""
	if [[ $link == veth ]]; then
		ip netns exec "$nsb" python3 "$tmp/sink.py" "$dst" "$port" 30 &
		spid=$!
		pids+=("$spid")
		sleep 0.2
	fi
	local sent bsecs errors
	read -r sent bsecs errors < <(ip netns exec "$ns" python3 "$tmp/send.py" "$count" "$rate" "$size" "$dst" "$port" $sinkarg)
	# Drain: at least 1.5 s, then until the file has not grown for 0.5 s
	# (at most 15 s). drain = last growth seen after the burst ended.
	local t0 last s prev=-1 stable=0 t drain=0
	t0=$(now)
	last=$t0
	for ((i = 0; i < 150; i++)); do
		sleep 0.1
		s=$(fsize "$out")
		t=$(now)
		if ((s != prev)); then
			prev=$s stable=0 last=$t
		else
			stable=$((stable + 1))
		fi
		if ((stable >= 5)) && awk -v a="$t" -v b="$t0" 'BEGIN{exit !(a - b >= 1.5)}'; then
			break
		fi
	done
	drain=$(awk -v a="$last" -v b="$t0" 'BEGIN{printf "%.1f", a - b}')
	local cpu
	cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || echo -)
	kill -INT "$pid" 2>/dev/null || true
	local rc=0
	wait "$pid" || rc=$?
	if [[ -n $spid ]]; then
		kill "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
	fi
	local c r d
	read -r c r d < <(awk '/packets captured/{c=$1} /received by filter/{r=$1} /dropped by kernel/{d=$1}
		END{print (c == "" ? "-" : c), (r == "" ? "-" : r), (d == "" ? "-" : d)}' "$err")
	local back
	back=$(capinfos -c -M "$out" 2>/dev/null | awk -F: '/Number of packets/{gsub(/ /, "", $2); print $2}')
	[[ -n $back ]] || back=unreadable
	echo "$sent $bsecs $errors $c $r $d $back $cpu $drain $rc" >"$tmp/$name.res"
	log "  $name: sent $sent in $bsecs s; captured $c, dropped $d, file $back, cpu $cpu s"
}

links=(lo)
[[ ${VETH:-0} == 1 ]] && links+=(veth)
tools=(tcpdump)
[[ -n $wirelens ]] && tools=(wirelens tcpdump)

bursts=()
for r in $rates; do bursts+=("$r"); done
bursts+=(max)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for link in "${links[@]}"; do
	for b in "${bursts[@]}"; do
		if [[ $b == max ]]; then
			rate=0 count=$nmax
		else
			rate=$b count=$((b * secs))
		fi
		log "$link: burst $b ($count packets of $size bytes)"
		for tool in "${tools[@]}"; do
			run "$link-$b-$tool" "$tool" "$link" "$rate" "$count"
		done
	done
done

# --- report --------------------------------------------------------------
f() { awk -v i="$2" '{print $i}' "$tmp/$1.res"; }
# complete NAME: captured everything, no drops, counters present
complete() {
	[[ -f $tmp/$1.res ]] && awk '{exit !($10 == 0 && $4 != "-" && $4 == $1 && $6 == 0)}' "$tmp/$1.res"
}
rate_of() { awk '{printf "%.0f", ($2 > 0 ? $1 / $2 : 0)}' "$tmp/$1.res"; }
label() {
	if [[ $1 == max ]]; then echo "max x $nmax"; else echo "$(($1 / 1000))k/s x ${secs}s"; fi
}

printf '\nwirelens live capture benchmark: %s cores; %s; -B %s KiB, filter "%s", %s-byte payloads\n' \
	"$(nproc)" "$(tcpdump --version 2>&1 | head -1)" "$buf" "$cfilter" "$size"
printf 'load average before %s, after %s\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN{exit !(l > n / 2)}'; then
	printf 'WARNING: the machine was busy (load > cores/2): drops depend on scheduling; rerun to compare\n'
fi
[[ -n $wl_note ]] && printf 'wirelens: NOT AVAILABLE (%s)\n' "$wl_note"
printf 'captured/dropped/recv: the tool'"'"'s own counters; recv counts both lo copies (sent+received) for tcpdump, one for wirelens (its kernel filter drops the sent copy);\n'
printf 'missing = sent - captured; file = packets read back by capinfos; capt/s = captured / burst seconds;\n'
printf 'cpu_s = user+sys of the tool for the run (us/pkt per captured packet); drain = s the file kept growing after the burst\n'

fail=0
hdr='%-5s %-14s %-9s %7s %6s %7s %8s %7s %7s %7s %9s %7s %5s %6s %5s %s\n'
for link in "${links[@]}"; do
	printf "\n$hdr" link burst tool sent secs sent/s captured recv dropped missing file capt/s cpu_s us/pkt drain "wl/tcpdump"
	for b in "${bursts[@]}"; do
		for tool in "${tools[@]}"; do
			n=$link-$b-$tool
			read -r sent bsecs errors c r d back cpu drain rc <"$tmp/$n.res"
			miss=- pps=- srate=- ratio=""
			if [[ $c != - ]]; then
				miss=$((sent - c))
				pps=$(awk -v a="$c" -v s="$bsecs" 'BEGIN{printf "%.0f", (s > 0 ? a / s : 0)}')
			fi
			upp=$(awk -v t="$cpu" -v a="$c" 'BEGIN{ if (t == "-" || a == "-" || a == 0) print "-"; else printf "%.2f", t * 1e6 / a }')
			srate=$(awk -v a="$sent" -v s="$bsecs" 'BEGIN{printf "%.0f", (s > 0 ? a / s : 0)}')
			if [[ $back != "$c" ]]; then
				back="$back BAD"
				[[ $tool == wirelens ]] && fail=1
			else
				back="$back ok"
			fi
			if [[ $tool == wirelens && -f $tmp/$link-$b-tcpdump.res ]]; then
				ratio=$(awk -v a="$c" -v b="$(f "$link-$b-tcpdump" 4)" 'BEGIN{ if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }')
			fi
			((rc != 0)) && ratio="$ratio (exit $rc)"
			printf "$hdr" "$link" "$(label "$b")" "$tool" "$sent" "$bsecs" "$srate" "$c" "$r" "$d" "$miss" "$back" "$pps" "$cpu" "$upp" "$drain" "$ratio"
		done
	done
done

echo
verdict_none=0
for link in "${links[@]}"; do
	best=""
	for b in "${bursts[@]}"; do
		complete "$link-$b-tcpdump" && best=$b
	done
	if [[ -z $best ]]; then
		printf '%s: tcpdump lost packets in every burst: no verdict (lower RATES)\n' "$link"
		verdict_none=1
		continue
	fi
	if [[ -z $wirelens ]]; then
		printf '%s: highest burst tcpdump captured whole: %s\n' "$link" "$(label "$best")"
		continue
	fi
	n=$link-$best-wirelens
	if complete "$n"; then
		res=PASS
	else
		res=FAIL
		fail=1
	fi
	printf '%s: highest burst tcpdump captured whole: %s (sent at %s pps to tcpdump, %s pps to wirelens);\n   wirelens there: captured %s of %s, dropped by kernel %s: %s\n' \
		"$link" "$(label "$best")" "$(rate_of "$link-$best-tcpdump")" "$(rate_of "$n")" \
		"$(f "$n" 4)" "$(f "$n" 1)" "$(f "$n" 6)" "$res"
	for b in "${bursts[@]}"; do
		if complete "$link-$b-wirelens" && ! complete "$link-$b-tcpdump"; then
			printf '%s: %s: wirelens captured everything where tcpdump did not\n' "$link" "$(label "$b")"
		fi
	done
done

echo
if [[ -z $wirelens ]]; then
	echo "RESULT: wirelens not available; only tcpdump was measured"
	exit 3
elif ((fail)); then
	echo "RESULT: FAIL"
	exit 1
elif ((verdict_none)); then
	echo "RESULT: NO VERDICT"
	exit 4
fi
echo "RESULT: PASS"
