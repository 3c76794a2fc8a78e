#!/usr/bin/env bash
# Writes tshark's output for every line of testdata/TESTLIST into testdata/golden/.
#
# Usage: testdata/golden.sh           regenerate testdata/golden/*.out and TSHARK_VERSION
#        testdata/golden.sh --check   regenerate into a temp dir, diff against the committed
#                                     goldens, fail (exit 1) with the diff if tshark disagrees
#
# TESTLIST lines: <name> <capture relative to testdata/> <tshark args after -r FILE>
# (args are shell-quoted; '#' starts a comment line). Each runs as
#   tshark -n -r testdata/<capture> <args>
# with TZ=UTC, LC_ALL=C.UTF-8 and an empty WIRESHARK_CONFIG_DIR (no personal preferences);
# its stdout goes to golden/<capture basename>.<name>.out.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
check=0
case ${1:-} in
"") ;;
--check) check=1 ;;
*)
	echo "usage: $0 [--check]" >&2
	exit 2
	;;
esac

command -v tshark >/dev/null 2>&1 || {
	echo "golden.sh: tshark is not installed (apt-get install tshark)" >&2
	exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/config" "$work/golden"
export TZ=UTC LC_ALL=C.UTF-8 WIRESHARK_CONFIG_DIR=$work/config

if ((check)); then
	out=$work/golden
else
	out=$here/golden
	mkdir -p "$out"
	rm -f "$out"/*.out
fi

tshark --version 2>/dev/null | head -n 1 >"$out/TSHARK_VERSION"

# tshark spends most of a run starting up: run as many at once as there are
# cores (GOLDEN_JOBS overrides), each with its own stderr, and stop at the
# first failure in TESTLIST order once they are done.
jobs_max=${GOLDEN_JOBS:-$(nproc 2>/dev/null || echo 2)}
n=0
lineno=0
declare -A job_desc
run_one() { # lineno dest capture args...
	local ln=$1 dest=$2 capture=$3
	shift 3
	if ! tshark -n -r "$here/$capture" "$@" >"$dest" 2>"$work/stderr.$ln"; then
		touch "$work/failed.$ln"
	fi
}
while IFS= read -r line || [[ -n $line ]]; do
	lineno=$((lineno + 1))
	[[ -z ${line//[[:space:]]/} || $line =~ ^[[:space:]]*# ]] && continue
	read -r name capture rest <<<"$line"
	[[ -n $name && -n $capture ]] || {
		echo "golden.sh: TESTLIST:$lineno: need <name> <capture> [args]" >&2
		exit 1
	}
	[[ -f $here/$capture ]] || {
		echo "golden.sh: TESTLIST:$lineno: no such capture testdata/$capture" >&2
		exit 1
	}
	# TESTLIST is ours and holds shell-quoted words: let the shell split them.
	args=()
	eval "args=($rest)"
	dest=$out/$(basename "$capture").$name.out
	while (($(jobs -rp | wc -l) >= jobs_max)); do
		wait -n || true
	done
	run_one "$lineno" "$dest" "$capture" "${args[@]}" &
	job_desc[$lineno]="$name $capture"
	n=$((n + 1))
done <"$here/TESTLIST"
wait
for ln in $(printf '%s\n' "${!job_desc[@]}" | sort -n); do
	if [[ -e $work/failed.$ln ]]; then
		echo "golden.sh: TESTLIST:$ln: tshark failed for '${job_desc[$ln]}':" >&2
		grep -v '^Running as user' "$work/stderr.$ln" >&2 || true
		exit 1
	fi
done
rm -f "$work"/stderr.*

if ((!check)); then
	echo "golden.sh: wrote $n golden files to ${out#"$here"/} ($(cat "$out/TSHARK_VERSION"))"
	exit 0
fi

if ! cmp -s "$here/golden/TSHARK_VERSION" "$out/TSHARK_VERSION"; then
	echo "golden.sh: note: goldens were made with '$(cat "$here/golden/TSHARK_VERSION" 2>/dev/null)'," \
		"this is '$(cat "$out/TSHARK_VERSION")'"
	cp "$here/golden/TSHARK_VERSION" "$out/TSHARK_VERSION" 2>/dev/null || true
fi
if diff -ru "$here/golden" "$out" >"$work/diff"; then
	echo "golden.sh: $n golden files match tshark"
else
	echo "golden.sh: tshark output differs from testdata/golden (run testdata/golden.sh to update):" >&2
	cat "$work/diff" >&2
	exit 1
fi
