#!/bin/sh
# Regenerates golden/<DLT>.txt: tcpdump's own compilation of every
# expression in exprs.txt, the oracle the Go tests run in the x/net/bpf VM.
# Needs tcpdump (no privileges: -y with -d only compiles). Run from anywhere:
#   sh live/bpf/testdata/golden.sh
set -eu
cd "$(dirname "$0")"
mkdir -p golden
for dlt in EN10MB LINUX_SLL LINUX_SLL2 RAW; do
	out=golden/$dlt.txt
	{
		echo "# tcpdump -ddd -y $dlt 'expr' for each line of exprs.txt"
		echo "# $(tcpdump --version 2>&1 | head -2 | tr '\n' ' ')"
		grep -v -e '^#' -e '^[[:space:]]*$' exprs.txt | while IFS= read -r expr; do
			printf 'expr: %s\n' "$expr"
			if prog=$(tcpdump -ddd -y "$dlt" "$expr" 2>&1); then
				echo "$prog"
			else
				echo "error: $(echo "$prog" | grep -v '^$' | head -1)"
			fi
			echo
		done
	} >"$out"
done
