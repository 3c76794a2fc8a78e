#!/usr/bin/env bash
# batch.sh: time wirelens batch mode against tshark and tcpdump on one capture.
#
# usage: bench/batch.sh [--quick] [CAPTURE]
#
#   CAPTURE   pcap/pcapng to use; default /tmp/bench-1m.pcap (1,000,000
#             packets, ~560 MB), generated with bench/gencap if missing.
#   --quick   default capture is /tmp/bench-100k.pcap (100,000 packets).
#
# environment:
#   WIRELENS=path  use this binary instead of building ./cmd/wirelens
#   REGEN=1        regenerate the default capture even if it exists
#   KEEP=1         keep the work directory (outputs, timings, diffs)
#   RUNS=N         run every command N times and keep the fastest (default 1)
#
# Runs, each on the same file with outputs discarded or kept only for the
# comparison, timed with /usr/bin/time (wall, user+sys, peak RSS):
#   fields  wirelens / tshark -n : -T fields frame.number + ip/tcp/udp checksum status
#   tcpdump -vv -n -r F
#   filter  wirelens / tshark -n : -Y "tcp.checksum.status == 0 || ip.checksum.status == 0"
# Targets: wirelens >= 15x faster than tshark (both runs), >= 3x faster than
# tcpdump -vv, peak RSS < 100 MB, and output identical to tshark's.
#
# Exit status: 0 all targets met, 1 a target failed, 3 no wirelens binary
# (the other tools are still timed and reported).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=0
capture=""
for arg in "$@"; do
	case $arg in
	--quick) quick=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "batch.sh: unknown option $arg" >&2
		exit 2
		;;
	*) capture=$arg ;;
	esac
done

# Targets.
min_vs_tshark=15
min_vs_tcpdump=3
max_rss_mb=100

prefs=(-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE)
fields=(-T fields -e frame.number -e ip.checksum.status -e tcp.checksum.status -e udp.checksum.status)
filter='tcp.checksum.status == 0 || ip.checksum.status == 0'
runs=${RUNS:-1}

tmp=$(mktemp -d /tmp/wirelens-batch.XXXXXX)
if [[ ${KEEP:-0} == 1 ]]; then
	trap 'echo "work directory kept: $tmp"' EXIT
else
	trap 'rm -rf "$tmp"' EXIT
fi

# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
need_time
for t in tshark tcpdump; do
	command -v "$t" >/dev/null || { echo "batch.sh: $t not found" >&2; exit 2; }
done
find_wirelens
ensure_capture "$quick"
size_mb=$(($(stat -c %s "$capture") / 1000000))
log "capture $capture ($size_mb MB); warming the page cache"
warm

# --- timed runs ----------------------------------------------------------
# timed NAME OUT CMD...: runs CMD $RUNS times with stdout to OUT and keeps
# the fastest run's "wall user sys maxrss_kb rc" in $tmp/NAME.res.
timed() {
	local name=$1 out=$2
	shift 2
	log "run $name: $*"
	local r rc t best=""
	for ((r = 1; r <= runs; r++)); do
		rc=0
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/$name.time" "$@" >"$out" 2>"$tmp/$name.err" || rc=$?
		# On failure /usr/bin/time first writes "Command exited with non-zero status N".
		t="$(tail -n1 "$tmp/$name.time") $rc"
		if ((rc != 0)); then
			best=$t
			log "  $name exited with status $rc:"
			grep -v 'Running as user "root"' "$tmp/$name.err" | head -5 | sed 's/^/     /' >&2 || true
			break
		fi
		if [[ -z $best ]] || awk -v a="${t%% *}" -v b="${best%% *}" 'BEGIN{exit !(a < b)}'; then
			best=$t
		fi
	done
	echo "$best" >"$tmp/$name.res"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ -n $wirelens ]]; then
	# Timed with output to /dev/null like tcpdump's; the output compared
	# with tshark's comes from a second, untimed run.
	timed wl_fields /dev/null "$wirelens" -r "$capture" "${prefs[@]}" "${fields[@]}"
	"$wirelens" -r "$capture" "${prefs[@]}" "${fields[@]}" >"$tmp/wl_fields.out" 2>/dev/null || true
fi
timed ts_fields "$tmp/ts_fields.out" tshark -n -r "$capture" "${prefs[@]}" "${fields[@]}"
timed tcpdump /dev/null tcpdump -vv -n -r "$capture"
if [[ -n $wirelens ]]; then
	timed wl_filter /dev/null "$wirelens" -r "$capture" "${prefs[@]}" -Y "$filter" -T fields -e frame.number
	"$wirelens" -r "$capture" "${prefs[@]}" -Y "$filter" -T fields -e frame.number >"$tmp/wl_filter.out" 2>/dev/null || true
fi
timed ts_filter "$tmp/ts_filter.out" tshark -n -r "$capture" "${prefs[@]}" -Y "$filter" -T fields -e frame.number

# --- report --------------------------------------------------------------
field() { awk -v i="$2" '{print $i}' "$tmp/$1.res"; }
wall() { field "$1" 1; }
cpu() { awk '{printf "%.2f", $2 + $3}' "$tmp/$1.res"; }
rss_mb() { awk '{printf "%.0f", $4 / 1024}' "$tmp/$1.res"; }
ok() { [[ -f $tmp/$1.res && $(field "$1" 5) == 0 ]]; }

fail=0
verdict() { if (($1)); then echo PASS; else echo FAIL; fi; }

# compare NAME A B: prints "identical" or "N of M lines differ"
compare() {
	local a=$tmp/$2.out b=$tmp/$3.out
	local na nb nd
	na=$(wc -l <"$a")
	nb=$(wc -l <"$b")
	# Mismatching lines: the larger of the two sides of the diff.
	nd=$(diff "$a" "$b" | awk '/^</{l++} /^>/{r++} END{print (l > r) ? l + 0 : r + 0}')
	if ((nd == 0)); then
		echo "identical ($na lines)"
		return 0
	fi
	echo "DIFFER: $nd mismatching lines (wirelens $na lines, tshark $nb lines)"
	diff "$a" "$b" | grep '^[<>]' | head -5 | sed 's/^/      /' >"$tmp/$1.diffhead"
	return 1
}

printf '\nwirelens batch benchmark: %s, %s MB, %s packets; %s cores; %s\n' \
	"$capture" "$size_mb" "$(wc -l <"$tmp/ts_fields.out")" "$(nproc)" "$(tshark -v 2>/dev/null | head -1)"
printf 'load average before %s, after %s; best of %s run(s)\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$runs"
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN{exit !(l > n / 2)}'; then
	printf 'WARNING: the machine was busy (load > cores/2): wall times and ratios are noisy; compare cpu s too\n'
fi
[[ -n $wl_note ]] && printf 'wirelens: NOT AVAILABLE (%s)\n' "$wl_note"
printf '\n%-18s %8s %8s %8s %9s %9s %-12s %s\n' run "wall s" "cpu s" "peak MB" "wall x wl" "cpu x wl" target result
row() { # row LABEL NAME BASE TARGET-DESC MIN-RATIO
	local label=$1 name=$2 base=$3 tdesc=$4 minr=$5
	if ! [[ -f $tmp/$name.res ]]; then
		printf '%-18s %8s %8s %8s %9s %9s %-12s %s\n' "$label" - - - - - "$tdesc" "n/a"
		return
	fi
	local w c m ratio="-" cratio="-" res="-"
	w=$(wall "$name")
	c=$(cpu "$name")
	m=$(rss_mb "$name")
	if ! ok "$name"; then
		res="ERROR (exit $(field "$name" 5))"
		[[ $name == wl_* ]] && fail=1
	elif [[ -n $base ]] && ok "$base"; then
		ratio=$(awk -v a="$w" -v b="$(wall "$base")" 'BEGIN{ if (b <= 0) b = 0.01; printf "%.1fx", a / b }')
		cratio=$(awk -v a="$c" -v b="$(cpu "$base")" 'BEGIN{ if (b <= 0) b = 0.01; printf "%.1fx", a / b }')
		if [[ -n $minr ]]; then
			res=$(verdict "$(awk -v r="${ratio%x}" -v m="$minr" 'BEGIN{print (r >= m) ? 1 : 0}')")
		fi
	elif [[ -n $minr ]]; then
		res="n/a"
	fi
	if [[ $name == wl_* ]] && ok "$name"; then
		res=$(verdict "$((m < max_rss_mb))")
	fi
	[[ $res == FAIL ]] && fail=1
	printf '%-18s %8s %8s %8s %9s %9s %-12s %s\n' "$label" "$w" "$c" "$m" "$ratio" "$cratio" "$tdesc" "$res"
}
row "wirelens fields" wl_fields "" "RSS < ${max_rss_mb} MB" ""
row "tshark -n fields" ts_fields wl_fields ">= ${min_vs_tshark}x" "$min_vs_tshark"
row "tcpdump -vv -n" tcpdump wl_fields ">= ${min_vs_tcpdump}x" "$min_vs_tcpdump"
row "wirelens filter" wl_filter "" "RSS < ${max_rss_mb} MB" ""
row "tshark -n filter" ts_filter wl_filter ">= ${min_vs_tshark}x" "$min_vs_tshark"

printf '\nfilter "%s" matched %s frames (tshark)\n' "$filter" "$(wc -l <"$tmp/ts_filter.out")"
printf 'checksum status counts (tshark, ip tcp udp; 0=Bad 1=Good 2=Unverified):\n'
cut -f2- "$tmp/ts_fields.out" | sort | uniq -c | sort -rn | head -12 | sed 's/^/   /'

if [[ -n $wirelens ]] && ok wl_fields && ok wl_filter; then
	printf '\noutput check against tshark:\n'
	for pair in "fields wl_fields ts_fields" "filter wl_filter ts_filter"; do
		read -r what a b <<<"$pair"
		if msg=$(compare "$what" "$a" "$b"); then
			printf '   %-7s %-40s PASS\n' "$what" "$msg"
		else
			fail=1
			printf '   %-7s %-40s FAIL\n' "$what" "$msg"
			cat "$tmp/$what.diffhead"
		fi
	done
fi

echo
if [[ -z $wirelens ]]; then
	echo "RESULT: wirelens not available; only tshark/tcpdump were timed"
	exit 3
elif ((fail)); then
	echo "RESULT: FAIL"
	exit 1
fi
echo "RESULT: PASS"
