#!/usr/bin/env bash
# tui.sh: time the wirelens TUI against termshark on one capture, in tmux.
#
# usage: bench/tui.sh [--quick] [CAPTURE]
#
#   CAPTURE   pcap/pcapng to open; default /tmp/bench-1m.pcap (1,000,000
#             packets, ~560 MB), generated with bench/gencap if missing.
#   --quick   default capture is /tmp/bench-100k.pcap (100,000 packets).
#
# Each tool runs alone in a detached tmux session (TUI_SIZE) on a warm
# page cache. The pane is polled every 50 ms with `T capture-pane -p`:
#   first row    seconds from launch until a packet-list row for packet 1 shows
#   last packet  seconds from launch until a row for the last packet shows;
#                End is pressed as soon as packet 1 is visible and again every
#                0.5 s (End during loading only reaches the packets read so far)
#   peak RSS     VmHWM of the process from /proc/PID/status, and the largest
#                sum of VmRSS over the process and its descendants, sampled
#                every 0.25 s (termshark runs several tshark processes)
# Targets for wirelens: first row <= 0.5 s, last packet <= 3 s, RSS < 150 MB.
#
# environment:
#   WIRELENS=path    use this binary instead of building ./cmd/wirelens
#   SKIP_TERMSHARK=1 time only wirelens
#   ROW_RE           grep -E pattern of a packet row, %s = packet number;
#                    default: first alphanumeric token of the line is the number
#   LAST=N           number of the last packet (default: counted with capinfos)
#   WL_TIMEOUT=30 TS_TIMEOUT=120   seconds before giving up on a tool
#   TUI_SIZE=200x50                tmux window size
#   REGEN=1 KEEP=1                 as in batch.sh
#
# Exit status: 0 all targets met, 1 a target failed, 3 no wirelens binary.
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
		echo "tui.sh: unknown option $arg" >&2
		exit 2
		;;
	*) capture=$arg ;;
	esac
done

# Targets.
max_first=0.5 max_first_us=500000
max_last=3 max_last_us=3000000
max_rss_mb=150

row_re=${ROW_RE:-'^[^[:alnum:]]*%s[[:space:]]'}
wl_timeout=${WL_TIMEOUT:-30}
ts_timeout=${TS_TIMEOUT:-120}
size=${TUI_SIZE:-200x50}
cols=${size%x*} lines=${size#*x}
poll=0.05

tmp=$(mktemp -d /tmp/wirelens-tui.XXXXXX)
# A private tmux server: no user configuration, no status line (the tool gets
# the whole window), and panes stay after their process exits so that an
# early exit's message can be read.
sock="wlbench-$$"
printf 'set -g remain-on-exit on\nset -g status off\n' >"$tmp/tmux.conf"
T() { tmux -L "$sock" -f "$tmp/tmux.conf" "$@"; }
cleanup() {
	T kill-server 2>/dev/null || true
	if [[ ${KEEP:-0} == 1 ]]; then echo "work directory kept: $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
command -v tmux >/dev/null || { echo "tui.sh: tmux not found" >&2; exit 2; }
if [[ ${SKIP_TERMSHARK:-0} != 1 ]] && ! command -v termshark >/dev/null; then
	log "installing termshark"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq termshark >/dev/null
fi
find_wirelens
ensure_capture "$quick"
if [[ -z ${LAST:-} ]]; then
	log "counting packets in $capture"
	LAST=$(capinfos -M -c -T -r "$capture" | awk -F'\t' '{print $NF}')
fi
[[ $LAST =~ ^[0-9]+$ ]] || { echo "tui.sh: cannot count packets (set LAST=N)" >&2; exit 2; }
log "capture $capture, $LAST packets"

now_us() { local t=$EPOCHREALTIME; echo $((10#${t/./})); }
secs() { awk -v us="$1" 'BEGIN{printf "%.2f", us / 1e6}'; }

# status PID FIELD: a /proc/PID/status value in kB (0 if gone).
status() {
	local k v _
	if [[ -r /proc/$1/status ]]; then
		while read -r k v _; do
			if [[ $k == "$2:" ]]; then
				echo "$v"
				return
			fi
		done </proc/"$1"/status 2>/dev/null || true
	fi
	echo 0
}

# tree_rss PID: current RSS of PID and its descendants together, in kB.
tree_rss() {
	local p sum=0
	for p in $(descendants "$1"); do sum=$((sum + $(status "$p" VmRSS))); done
	echo "$sum"
}

# descendants PID: PID and all its descendants.
descendants() {
	ps -e -o pid=,ppid= | awk -v root="$1" '
		{ parent[$1] = $2 }
		END { for (p in parent) { q = p; while (q != "" && q != 0 && q != 1) { if (q == root) { print p; break } q = parent[q] } } }'
}

# measure NAME TIMEOUT QUIT-KEYS CMD...: runs CMD in tmux and writes
# "first_us last_us rss_kb tree_kb maxseen status" to $tmp/NAME.res.
measure() {
	local name=$1 timeout_s=$2 timeout_us=$(($2 * 1000000)) quit=$3
	shift 3
	local sess="wlbench-$$-$name"
	local first_re last_re
	# shellcheck disable=SC2059
	first_re=$(printf "$row_re" 1)
	# shellcheck disable=SC2059
	last_re=$(printf "$row_re" "$LAST")
	warm
	log "run $name: $* (timeout ${timeout_s}s)"
	local t0 pid
	t0=$(now_us)
	T new-session -d -s "$sess" -x "$cols" -y "$lines" \
		sh -c 'exec "$@" 2>"$0"' "$tmp/$name.err" "$@"
	pid=$(T display-message -p -t "$sess" '#{pane_pid}' 2>/dev/null) || pid=0
	local first="" last="" state=ok next_end=0 el screen n=0 rss=0 tree=0 v
	while :; do
		el=$(($(now_us) - t0))
		if ! screen=$(T capture-pane -p -t "$sess" 2>/dev/null) || [[ $pid == 0 || ! -d /proc/$pid ]]; then
			state="exited"
			break
		fi
		if [[ -z $first ]] && LC_ALL=C grep -Eq "$first_re" <<<"$screen"; then
			first=$el
		fi
		if [[ -n $first ]]; then
			if LC_ALL=C grep -Eq "$last_re" <<<"$screen"; then
				last=$el
				break
			fi
			if ((el >= next_end)); then
				T send-keys -t "$sess" End
				next_end=$((el + 500000))
			fi
		fi
		v=$(status "$pid" VmHWM)
		((v > rss)) && rss=$v
		if ((n++ % 5 == 0)); then
			v=$(tree_rss "$pid")
			((v > tree)) && tree=$v
		fi
		if ((el > timeout_us)); then
			state="timeout"
			break
		fi
		sleep "$poll"
	done
	# Final memory reading, the highest packet number on screen, then quit.
	v=$(status "$pid" VmHWM)
	((v > rss)) && rss=$v
	v=$(tree_rss "$pid")
	((v > tree)) && tree=$v
	((rss > tree)) && tree=$rss
	local maxseen
	maxseen=$(T capture-pane -p -t "$sess" 2>/dev/null |
		LC_ALL=C awk 'match($0, /^[^[:alnum:]]*[0-9]+[[:space:]]/) { s = substr($0, 1, RLENGTH); gsub(/[^0-9]/, "", s); if (s + 0 > m) m = s + 0 } END { print m + 0 }') || maxseen=0
	T capture-pane -p -t "$sess" >"$tmp/$name.screen" 2>/dev/null || true
	local k
	for k in $quit; do
		T send-keys -t "$sess" "$k" 2>/dev/null || true
		sleep 0.3
	done
	local i
	for ((i = 0; i < 30; i++)); do
		[[ -d /proc/$pid ]] || break
		sleep 0.1
	done
	if [[ -d /proc/$pid ]]; then
		log "  $name did not quit on '$quit'; killing its tmux session"
	fi
	T kill-session -t "$sess" 2>/dev/null || true
	if [[ $state == exited ]]; then
		log "  $name exited early; stderr and last screen lines:"
		{ cat "$tmp/$name.err"; grep -v '^[[:space:]]*$' "$tmp/$name.screen" | grep -v '^Pane is dead'; } |
			tail -8 | sed 's/^/     /' >&2 || true
	fi
	echo "${first:--} ${last:--} $rss $tree $maxseen $state" >"$tmp/$name.res"
}

if [[ -n $wirelens ]]; then
	measure wirelens "$wl_timeout" "q" "$wirelens" "$capture"
fi
if [[ ${SKIP_TERMSHARK:-0} != 1 ]]; then
	measure termshark "$ts_timeout" "q Enter" termshark -r "$capture"
fi

# --- report --------------------------------------------------------------
get() { # get NAME FIELD -> value or "-"
	if [[ -f $tmp/$1.res ]]; then awk -v i="$2" '{print $i}' "$tmp/$1.res"; else echo -; fi
}
fmt_time() { # fmt_time NAME FIELD
	local v
	v=$(get "$1" "$2")
	if [[ $v == - ]]; then
		if [[ -f $tmp/$1.res ]]; then
			echo "$(get "$1" 6) (at #$(get "$1" 5))"
		else
			echo -
		fi
	else
		secs "$v"
	fi
}
fmt_mb() { local v; v=$(get "$1" "$2"); [[ $v == - ]] && echo - || awk -v k="$v" 'BEGIN{printf "%.0f", k / 1024}'; }
ratio() { # ratio A B: A/B as "12.3x" when both are numbers
	awk -v a="$1" -v b="$2" 'BEGIN{ if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) { print "-"; exit } if (b <= 0) { print "-"; exit } printf "%.1fx", a / b }'
}
fail=0
check() { # check VALUE MAX STRICT(1: VALUE < MAX, 0: VALUE <= MAX)
	if [[ -z $wirelens ]]; then
		echo "n/a"
	elif ! [[ $1 =~ ^[0-9.]+$ ]]; then
		fail=1
		echo FAIL
	elif awk -v v="$1" -v m="$2" -v s="$3" 'BEGIN{exit !((s && v < m) || (!s && v <= m))}'; then
		echo PASS
	else
		fail=1
		echo FAIL
	fi
}

printf '\nwirelens TUI benchmark: %s (%s packets, %s MB); tmux %sx%s; %s cores\n' \
	"$capture" "$LAST" "$(($(stat -c %s "$capture") / 1000000))" "$cols" "$lines" "$(nproc)"
[[ -n $wl_note ]] && printf 'wirelens: NOT AVAILABLE (%s)\n' "$wl_note"
printf '\n%-28s %12s %20s %12s %-10s %s\n' metric wirelens termshark "termshark/wl" target result
line() { # line LABEL WL TS TARGET RESULT
	printf '%-28s %12s %20s %12s %-10s %s\n' "$1" "$2" "$3" "$(ratio "$3" "$2")" "$4" "$5"
}
wf=$(fmt_time wirelens 1) tf=$(fmt_time termshark 1)
line "first row (s)" "$wf" "$tf" "<= $max_first" "$(check "$wf" "$max_first" 0)"
wf=$(fmt_time wirelens 2) tf=$(fmt_time termshark 2)
line "last packet after End (s)" "$wf" "$tf" "<= $max_last" "$(check "$wf" "$max_last" 0)"
wf=$(fmt_mb wirelens 3) tf=$(fmt_mb termshark 3)
line "peak RSS, process (MB)" "$wf" "$tf" "" ""
wf=$(fmt_mb wirelens 4) tf=$(fmt_mb termshark 4)
res=$(check "$wf" "$max_rss_mb" 1)
[[ $(get wirelens 6) == exited ]] && res="FAIL (exited)"
line "peak RSS, process tree (MB)" "$wf" "$tf" "< $max_rss_mb" "$res"
# check printed its verdicts from subshells; set the exit status here.
if [[ -f $tmp/wirelens.res ]]; then
	f=$(get wirelens 1) l=$(get wirelens 2) r=$(get wirelens 4)
	if [[ $f == - || $l == - ]] || ((f > max_first_us || l > max_last_us || r >= max_rss_mb * 1024)); then
		fail=1
	fi
elif [[ -n $wirelens ]]; then
	fail=1
fi
echo "times are seconds from launch; '(at #N)' = gave up, N = highest packet number on screen"

echo
if [[ -z $wirelens ]]; then
	echo "RESULT: wirelens not available; only termshark was measured"
	exit 3
elif ((fail)); then
	echo "RESULT: FAIL"
	exit 1
fi
echo "RESULT: PASS"
