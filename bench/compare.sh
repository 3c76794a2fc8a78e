#!/usr/bin/env bash
# compare.sh: times wirelens --compare on two captures of the same
# 1,000,000 packets: bench/gencap's capture (A, pcap) and bench/otherend's
# copy of it as the far end would have seen it (B, pcapng: another clock,
# one hop further, 1 frame in 20011 lost, 1 in 10007 with a bit flipped).
# Prints wall time, CPU time, peak RSS and the load average (the machine may
# be shared: CPU time is the figure that does not depend on it), and checks
# that the report found exactly the faults otherend made.
#
# Usage: bench/compare.sh [--quick]   (--quick: 100k packets)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=lib.sh
source "$repo/bench/lib.sh"
quick=0
[[ ${1:-} == --quick ]] && quick=1
capture=${CAPTURE:-}
need_time
ensure_capture "$quick"
find_wirelens
[[ -n $wirelens ]] || exit 2
other=${capture%.pcap}-b.pcapng
if [[ ! -s $other || $other -ot $capture || ${REGEN:-0} == 1 ]]; then
	log "writing the far end's capture $other"
	(cd "$repo" && go build -o "$tmp/otherend" ./bench/otherend)
	"$tmp/otherend" -i "$capture" -o "$other.tmp.$$" 2>"$tmp/otherend.log"
	mv "$other.tmp.$$" "$other"
	cat "$tmp/otherend.log" >&2
fi
warm
cat "$other" >/dev/null
load=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$wirelens" --compare "$capture" "$other" >"$tmp/report"
read -r wall user sys rss <"$tmp/time"
frames=$(awk '/^  A: /{gsub(/[()]/,""); print $(NF-1)}' "$tmp/report")
printf '%-28s %s\n' "A" "$capture ($frames frames)" "B" "$other" \
	"wall time" "$wall s" "CPU time (user+sys)" "$(echo "$user + $sys" | bc) s" \
	"peak RSS" "$((rss / 1024)) MB" "load average before" "$load"
grep -E '^  (A|B) +[0-9]' "$tmp/report"
grep -E '^  [0-9]+ frames?: ' "$tmp/report" | sed -E 's/ \([^()]*\)\.$/./'
