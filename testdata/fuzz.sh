#!/bin/sh
# Runs every Go fuzz target in the module for a while each (not part of CI:
# go test ./... only replays the seeds and testdata/fuzz corpora).
#
#   testdata/fuzz.sh [SECONDS] [PACKAGE-PATTERN]    (default 60 ./...)
#
# Prints one row per target: package, target, seconds, execs, result. A
# crash makes the exit status 1; go test has already written the crasher to
# PKG/testdata/fuzz/TARGET/ (where `go test` replays it from then on, so it
# is a regression test once committed), and the script also copies it to
# testdata/hostile/crashers/ with the package in its name for the report.
set -u
secs=${1:-60}
pattern=${2:-./...}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
log=$(mktemp -d "${TMPDIR:-/tmp}/wirelens-fuzz.XXXXXX")
trap 'rm -rf "$log"' EXIT

fail=0
printf '%-28s %-26s %6s %12s  %s\n' package target secs execs result
for pkg in $(go list "$pattern"); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	# Only packages whose test files declare fuzz targets.
	grep -qs '^func Fuzz' "$dir"/*_test.go || continue
	targets=$(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz') || {
		printf '%-28s %-26s %6s %12s  %s\n' "${pkg#github.com/wirelens/wirelens/}" - - - "BUILD FAILED"
		fail=1
		continue
	}
	for t in $targets; do
		short=${pkg#github.com/wirelens/wirelens/}
		out="$log/$(echo "$short" | tr / _).$t"
		before=$(ls "$dir/testdata/fuzz/$t" 2>/dev/null | sort)
		start=$(date +%s)
		# Minimising each new input may take 60 s by default: with inputs
		# of whole captures (FuzzDissectSequence) that is most of the run.
		go test "$pkg" -run '^$' -fuzz "^$t\$" -fuzztime "${secs}s" -fuzzminimizetime 3s >"$out" 2>&1
		rc=$?
		took=$(($(date +%s) - start))
		# The last progress line: "fuzz: elapsed: 1m0s, execs: 123456 (2057/sec), ..."
		execs=$(grep -o 'execs: [0-9]*' "$out" | tail -1 | cut -d' ' -f2)
		if [ $rc -eq 0 ]; then
			result=ok
		else
			result=FAIL
			fail=1
			after=$(ls "$dir/testdata/fuzz/$t" 2>/dev/null | sort)
			new=$(printf '%s\n%s\n' "$before" "$after" | sort | uniq -u)
			mkdir -p "$root/testdata/hostile/crashers"
			for f in $new; do
				cp "$dir/testdata/fuzz/$t/$f" "$root/testdata/hostile/crashers/$(echo "$short" | tr / _)-$t-$f"
				result="$result $short/testdata/fuzz/$t/$f"
			done
			cp "$out" "$root/testdata/hostile/crashers/$(echo "$short" | tr / _)-$t.log"
			grep -m1 -E 'panic:|--- FAIL|fatal error|testing.go|hostile_test.go|fuzz_test.go' "$out" | sed 's/^/    /' >&2
		fi
		printf '%-28s %-26s %6s %12s  %s\n' "$short" "$t" "$took" "${execs:-?}" "$result"
	done
done
exit $fail
