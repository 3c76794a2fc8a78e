#!/usr/bin/env bash
# Makes a REAL capture of the long-tail application protocols between two network
# namespaces joined by a veth pair, with Debian's own servers and clients:
# SMTP (python3's smtpd, curl), FTP passive with PASV and with EPSV (vsftpd, curl),
# TFTP (tftpd-hpa, curl), MQTT (mosquitto, mosquitto_pub/sub), and LLDP and CDP
# (lldpd). Each part is skipped with a note when its tool is missing.
#
# Usage: testdata/make-app-captures.sh [OUTDIR]   (default: testdata/captures; needs root)
# Writes apps-real.pcap. Packages: apt-get install vsftpd tftpd-hpa mosquitto
# mosquitto-clients lldpd curl tcpdump (python3 3.11 has smtpd).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
outdir=${1:-$here/captures}
die() {
	echo "make-app-captures: $*" >&2
	exit 1
}
[[ $EUID -eq 0 ]] || die "must run as root (it creates network namespaces)"
for t in ip tcpdump python3 curl; do command -v $t >/dev/null || die "missing $t"; done

tag=$$
nsa=wl-aa-$tag
nsb=wl-ab-$tag
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	ip netns del "$nsa" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
	rm -rf "$work"
	((rc == 0)) || echo "make-app-captures: FAILED (exit $rc)" >&2
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "$nsa" "$nsb"; do
	ip netns add "$ns"
	ip -n "$ns" link set lo up
done
ip link add wl-app-a netns "$nsa" type veth peer name wl-app-b netns "$nsb"
ip -n "$nsa" link set wl-app-a address 02:00:00:00:78:01
ip -n "$nsb" link set wl-app-b address 02:00:00:00:78:02
ip -n "$nsa" addr add 10.78.0.1/24 dev wl-app-a
ip -n "$nsb" addr add 10.78.0.2/24 dev wl-app-b
ip -n "$nsa" link set wl-app-a up
ip -n "$nsb" link set wl-app-b up
# no IPv6 chatter (router solicitations, MLD): the capture is about the applications
for ns in "$nsa" "$nsb"; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done

waitport() { # NS PORT
	for _ in $(seq 100); do
		ip netns exec "$1" python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('10.78.0.2', $2)))" && return 0
		sleep 0.1
	done
	die "nothing listens on port $2"
}

mkdir -p "$work/ftp" "$work/tftp"
printf 'hello from wirelens\n' >"$work/ftp/hello.txt"
cp "$work/ftp/hello.txt" "$work/tftp/hello.txt"
chmod -R a+rX "$work/ftp" "$work/tftp"

ip netns exec "$nsa" tcpdump -B 65536 -n -i wl-app-a -s 0 -U -w "$work/apps-real.pcap" 2>"$work/tcpdump.log" &
cap=$!
pids+=("$cap")
for ((i = 0; i < 100; i++)); do
	grep -q listening "$work/tcpdump.log" && break
	sleep 0.05
done
sleep 0.3

if command -v lldpd >/dev/null; then
	# LLDP and CDPv2 from namespace b (foreground, no control socket shared with a system lldpd)
	ip netns exec "$nsb" lldpd -d -c -I wl-app-b -u "$work/lldpd.sock" >"$work/lldpd.log" 2>&1 &
	pids+=("$!")
	sleep 2
else
	echo "make-app-captures: no lldpd, no LLDP/CDP" >&2
fi

if python3 -c 'import smtpd' 2>/dev/null; then
	ip netns exec "$nsb" python3 -W ignore -m smtpd -n -c DebuggingServer 10.78.0.2:25 >/dev/null 2>&1 &
	pids+=("$!")
	waitport "$nsa" 25
	printf 'Subject: hello\r\n\r\nhi bob\r\n' >"$work/mail.txt"
	ip netns exec "$nsa" curl -s --url smtp://10.78.0.2 --mail-from alice@wirelens.test --mail-rcpt bob@wirelens.test -T "$work/mail.txt"
else
	echo "make-app-captures: no python3 smtpd, no SMTP" >&2
fi

if command -v vsftpd >/dev/null; then
	cat >"$work/vsftpd.conf" <<EOF
listen=YES
listen_address=10.78.0.2
anonymous_enable=YES
anon_root=$work/ftp
no_anon_password=YES
local_enable=NO
write_enable=NO
pasv_enable=YES
pasv_min_port=50000
pasv_max_port=50010
seccomp_sandbox=NO
secure_chroot_dir=$work
run_as_launching_user=YES
EOF
	ip netns exec "$nsb" vsftpd "$work/vsftpd.conf" >"$work/vsftpd.log" 2>&1 &
	pids+=("$!")
	waitport "$nsa" 21
	ip netns exec "$nsa" curl -s --disable-epsv -o /dev/null ftp://10.78.0.2/hello.txt
	ip netns exec "$nsa" curl -s -o /dev/null ftp://10.78.0.2/hello.txt
else
	echo "make-app-captures: no vsftpd, no FTP" >&2
fi

if command -v in.tftpd >/dev/null; then
	ip netns exec "$nsb" in.tftpd -L -a 10.78.0.2:69 -s "$work/tftp" >/dev/null 2>&1 &
	pids+=("$!")
	sleep 0.5
	ip netns exec "$nsa" curl -s -o /dev/null tftp://10.78.0.2/hello.txt
	ip netns exec "$nsa" curl -s -o /dev/null tftp://10.78.0.2/missing.txt || true
else
	echo "make-app-captures: no tftpd-hpa, no TFTP" >&2
fi

if command -v mosquitto >/dev/null && command -v mosquitto_pub >/dev/null; then
	printf 'listener 1883 10.78.0.2\nallow_anonymous true\n' >"$work/mosquitto.conf"
	ip netns exec "$nsb" mosquitto -c "$work/mosquitto.conf" >/dev/null 2>&1 &
	pids+=("$!")
	waitport "$nsa" 1883
	ip netns exec "$nsa" timeout 5 mosquitto_sub -h 10.78.0.2 -t sensors/temp -C 1 -i wl-sub >/dev/null &
	sub=$!
	sleep 0.5
	ip netns exec "$nsa" mosquitto_pub -h 10.78.0.2 -t sensors/temp -m 21.5 -i wl-pub
	wait "$sub" || true
else
	echo "make-app-captures: no mosquitto, no MQTT" >&2
fi

sleep 1
kill -TERM "$cap"
wait "$cap" || true
if grep -hE '^[1-9][0-9]* packets dropped by kernel' "$work/tcpdump.log"; then
	die "the capture dropped packets"
fi
mkdir -p "$outdir"
cp "$work/apps-real.pcap" "$outdir/apps-real.pcap"
chmod 0644 "$outdir/apps-real.pcap"
echo "make-app-captures: wrote $outdir/apps-real.pcap"
