# lib.sh: helpers shared by batch.sh and tui.sh (sourced, not run).
# Expects: $repo (repository root) and $tmp (work directory) to be set.

log() { printf '== %s\n' "$*" >&2; }

# need_time installs GNU time if /usr/bin/time is missing.
need_time() {
	if [[ ! -x /usr/bin/time ]]; then
		log "installing GNU time (package time)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
	fi
}

# find_wirelens sets $wirelens to $WIRELENS or a fresh build of ./cmd/wirelens;
# when neither works it leaves $wirelens empty and explains why in $wl_note.
find_wirelens() {
	wirelens=${WIRELENS:-}
	wl_note=""
	if [[ -z $wirelens ]]; then
		log "building wirelens (CGO_ENABLED=0 go build ./cmd/wirelens)"
		if (cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/wirelens" ./cmd/wirelens) 2>"$tmp/build.err"; then
			wirelens=$tmp/wirelens
		else
			wl_note="build failed: $(grep -m1 . "$tmp/build.err" || true)"
			log "WIRELENS NOT AVAILABLE: $wl_note"
			sed 's/^/   /' "$tmp/build.err" | head -15 >&2
		fi
	elif [[ ! -x $wirelens ]]; then
		wl_note="WIRELENS=$wirelens is not executable"
		log "WIRELENS NOT AVAILABLE: $wl_note"
		wirelens=""
	fi
}

# ensure_capture QUICK: if $capture is empty, sets it to the cached default
# capture (/tmp/bench-1m.pcap, or /tmp/bench-100k.pcap when QUICK is 1),
# generating it with bench/gencap when missing or when REGEN=1.
ensure_capture() {
	local n
	if [[ -z $capture ]]; then
		if (($1)); then
			capture=/tmp/bench-100k.pcap n=100000
		else
			capture=/tmp/bench-1m.pcap n=1000000
		fi
		if [[ ! -s $capture || ${REGEN:-0} == 1 ]]; then
			log "generating $capture ($n packets)"
			(cd "$repo" && go build -o "$tmp/gencap" ./bench/gencap)
			"$tmp/gencap" -n "$n" -o "$capture.tmp.$$"
			mv "$capture.tmp.$$" "$capture"
		fi
	fi
	if [[ ! -r $capture ]]; then
		echo "cannot read capture $capture" >&2
		exit 2
	fi
}

# warm reads the capture once so that no tool pays for the disk.
warm() { cat "$capture" >/dev/null; }
