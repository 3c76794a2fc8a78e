#!/usr/bin/env bash
# Records tshark's exit status for every line of testdata/EXITCODES into
# testdata/EXITCODES.tshark ("<name> <status>"), so TestExitStatuses can hold
# wirelens to tshark's statuses without tshark installed.
#
# Usage: testdata/exitcodes.sh           regenerate EXITCODES.tshark
#        testdata/exitcodes.sh --check   compare with the committed file, fail with the diff
# Run as root (as the goldens were): the -i lines need to open a capture.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v tshark >/dev/null 2>&1 || {
	echo "exitcodes.sh: tshark is not installed (apt-get install tshark)" >&2
	exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/config"
export TZ=UTC LC_ALL=C.UTF-8 WIRESHARK_CONFIG_DIR=$work/config

out=$work/exitcodes.out
cd "$here"
while IFS= read -r line || [[ -n $line ]]; do
	[[ -z ${line//[[:space:]]/} || $line =~ ^[[:space:]]*# ]] && continue
	# EXITCODES is ours and holds shell-quoted words: let the shell split them.
	words=()
	eval "words=($line)"
	name=${words[0]}
	status=0
	timeout 30 tshark "${words[@]:2}" </dev/null >/dev/null 2>"$work/stderr" || status=$?
	((status != 124)) || {
		echo "exitcodes.sh: $name: tshark did not stop within 30 s" >&2
		exit 1
	}
	echo "$name $status" >>"$out"
done <"$here/EXITCODES"

case ${1:-} in
"")
	{
		tshark --version 2>/dev/null | head -n 1 | sed 's/^/# /'
		cat "$out"
	} >"$here/EXITCODES.tshark"
	;;
--check)
	diff <(grep -v '^#' "$here/EXITCODES.tshark") "$out"
	;;
*)
	echo "usage: $0 [--check]" >&2
	exit 2
	;;
esac
