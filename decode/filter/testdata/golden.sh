#!/usr/bin/env bash
# Writes what tshark shows for every filter in filters.txt over every capture
# in testdata/captures and testdata/crafted (at the repository root) and in
# decode/filter/testdata/captures (named "filter_..."), so golden_test.go
# can hold wirelens to the same frames.
#
# Usage: decode/filter/testdata/golden.sh [CAPTURE...]   (needs tshark)
#        With no arguments every capture is done (slow: tshark starts once per
#        filter and capture); with arguments only those, keeping other goldens.
#
# Output: decode/filter/testdata/golden/<dir>_<capture>.txt, one line per
# filter: the filter, a tab, then the matching frame numbers separated by
# spaces (empty when none match), or "ERROR" when tshark rejects the filter.
# Checksum validation is switched on for IP, TCP and UDP because wirelens
# validates by default and the filters test checksum status.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
filters=$here/filters.txt
out=$here/golden

command -v tshark >/dev/null || { echo "golden.sh: tshark not found" >&2; exit 1; }
mkdir -p "$out"
(($# > 0)) || rm -f "$out"/*.txt

# A capture with no frames tells a bad filter (tshark fails) from a capture
# that tshark reads only in part (it also fails, after printing the frames).
empty=$(mktemp)
trap 'rm -f "$empty"' EXIT
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x01\x00\x00\x00' >"$empty"
declare -A valid
while IFS= read -r f || [[ -n $f ]]; do
	[[ -z ${f//[[:space:]]/} || $f == \#* ]] && continue
	if tshark -n -r "$empty" -Y "$f" >/dev/null 2>&1; then valid[$f]=1; else valid[$f]=0; fi
done <"$filters"

# one_filter CAPTURE INDEX FILTER writes the frames for one filter into
# $tmp/INDEX; filters run in parallel because tshark's start-up dominates.
one_filter() {
	local frames
	frames=$(tshark -n -r "$1" \
		-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y "$3" -T fields -e frame.number 2>/dev/null || true)
	echo $frames >"$tmp/$2"
}
export -f one_filter

mapfile -t list < <(grep -v -e '^#' -e '^[[:space:]]*$' "$filters")
shopt -s nullglob
n=0
for dir in captures crafted filter; do
	src=$root/testdata/$dir
	[[ $dir == filter ]] && src=$here/captures
	caps=("$src"/*.pcap "$src"/*.pcapng)
	if (($# > 0)); then
		caps=()
		for a in "$@"; do
			a=$(realpath "$a")
			[[ $(dirname "$a") == "$(realpath "$src")" ]] && caps+=("$a")
		done
	fi
	for cap in "${caps[@]}"; do
		name=$(basename "$cap")
		dst=$out/${dir}_${name%.*}.txt
		tmp=$(mktemp -d)
		export tmp
		for i in "${!list[@]}"; do
			[[ ${valid[${list[$i]}]} == 1 ]] && printf '%s\0%s\0%s\0' "$cap" "$i" "${list[$i]}"
		done | xargs -0 -n 3 -P "$(nproc)" bash -c 'one_filter "$@"' _
		: >"$dst"
		for i in "${!list[@]}"; do
			if [[ ${valid[${list[$i]}]} == 1 ]]; then
				printf '%s\t%s\n' "${list[$i]}" "$(cat "$tmp/$i")" >>"$dst"
			else
				printf '%s\tERROR\n' "${list[$i]}" >>"$dst"
			fi
		done
		rm -rf "$tmp"
		n=$((n + 1))
		echo "golden.sh: $dst" >&2
	done
done
((n > 0)) || echo "golden.sh: no captures under $root/testdata/{captures,crafted}" >&2
