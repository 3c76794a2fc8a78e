package remote

import (
	"strconv"
	"strings"
)

// The remote side is a POSIX sh script given to ssh as the command. Before
// the capture starts it prints an information block on standard output,
// one key=value a line between infoBegin and infoEnd, then the capture
// stream follows on the same standard output: one stream, so the order is
// certain and one connection serves both.
const (
	infoBegin = "WIRELENS-INFO 1"
	infoEnd   = "WIRELENS-INFO-END"
)

// Exit statuses the script uses for what it found before capturing; the
// capture tool's own are passed through.
const (
	exitNoTool    = 90
	exitNoIface   = 92
	exitWrongArch = 93
)

// probeScript describes the host and (when iface is set) one interface.
// Every value is printed on one line: printf with %s of a command's output
// through tr, so a hostile remote cannot end the block early (the reader
// also sanitises every value it keeps).
const probeScript = `
info() { printf '%s=%s\n' "$1" "$(printf '%s' "$2" | tr '\n\r' '  ')"; }
echo 'WIRELENS-INFO 1'
info uid "$(id -u)"
info user "$(id -un 2>/dev/null)"
info uname "$(uname -srm 2>/dev/null)"
info arch "$(uname -m 2>/dev/null)"
info time "$(date +%s.%N 2>/dev/null)"
t=
for c in wirelens tcpdump dumpcap sudo ethtool ip; do
	command -v "$c" >/dev/null 2>&1 && t="$t $c"
done
info tools "$t"
info ssh "$SSH_CONNECTION"
if [ "$(id -u)" = 0 ]; then
	sudo=root
elif command -v sudo >/dev/null 2>&1; then
	if sudo -n true >/dev/null 2>&1; then sudo=ok; else sudo=password; fi
else
	sudo=missing
fi
info sudo "$sudo"
describe() {
	d=/sys/class/net/$1
	info if.name "$1"
	info if.mtu "$(cat "$d/mtu" 2>/dev/null)"
	info if.type "$(cat "$d/type" 2>/dev/null)"
	info if.state "$(cat "$d/operstate" 2>/dev/null)"
	info if.mac "$(cat "$d/address" 2>/dev/null)"
	drv=$(readlink "$d/device/driver" 2>/dev/null)
	[ -z "$drv" ] && command -v ethtool >/dev/null 2>&1 && drv=$(ethtool -i "$1" 2>/dev/null | sed -n 's/^driver: //p')
	info if.driver "${drv##*/}"
	if command -v ip >/dev/null 2>&1; then
		info if.link "$(ip -d -o link show dev "$1" 2>/dev/null | head -n 1)"
		ip -o addr show dev "$1" 2>/dev/null | while read -r _ _ fam addr _; do info if.addr "$addr"; done
	fi
	if command -v ethtool >/dev/null 2>&1; then
		ethtool -k "$1" 2>/dev/null | while IFS= read -r l; do info if.feature "$l"; done
	fi
}
`

// captureScript picks the tool, builds the filter and starts the capture.
// Its parameters are set in front of it as shell assignments of quoted
// words (see Start).
const captureScript = `
if [ "$iface" != any ]; then
	if [ ! -e "/sys/class/net/$iface" ]; then
		info error "no interface $iface"; echo 'WIRELENS-INFO-END'; exit 92
	fi
	describe "$iface"
fi
bin=
case "$want" in
auto)
	if [ -n "$pushed" ]; then pick=wirelens bin=$pushed
	elif command -v wirelens >/dev/null 2>&1; then pick=wirelens bin=wirelens
	elif command -v tcpdump >/dev/null 2>&1; then pick=tcpdump bin=tcpdump
	elif command -v dumpcap >/dev/null 2>&1; then pick=dumpcap bin=dumpcap
	fi ;;
wirelens)
	if [ -n "$pushed" ]; then pick=wirelens bin=$pushed
	elif command -v wirelens >/dev/null 2>&1; then pick=wirelens bin=wirelens; fi ;;
*)
	command -v "$want" >/dev/null 2>&1 && pick=$want bin=$want ;;
esac
if [ -z "$bin" ]; then
	info error "no capture tool"; echo 'WIRELENS-INFO-END'; exit 90
fi
run=
[ "$sudo" = ok ] && run='sudo -n'
if [ "$keepssh" != 1 ] && [ -n "$SSH_CONNECTION" ]; then
	set -- $SSH_CONNECTION
	ex="not (host $1 and port $4)"
	if [ -n "$filter" ]; then filter="($filter) and $ex"; else filter=$ex; fi
fi
info tool "$pick"
info filter "$filter"
set -- -i "$iface" -w -
[ "$snap" -gt 0 ] 2>/dev/null && set -- "$@" -s "$snap"
case "$pick" in
wirelens) [ -n "$pushed" ] && set -- --remove-self "$@"
	[ -n "$filter" ] && set -- "$@" -f "$filter" ;;
tcpdump) set -- "$@" -U --immediate-mode
	[ -n "$filter" ] && set -- "$@" -- "$filter" ;;
dumpcap) set -- "$@" -q
	[ -n "$filter" ] && set -- "$@" -f "$filter" ;;
esac
echo 'WIRELENS-INFO-END'
# The capture must end when the connection does, not at its next packet:
# standard input is the client's (it sends nothing), so its end means the
# client is gone or asked to stop.
exec 3<&0
$run "$bin" "$@" <&- &
pid=$!
( cat <&3 >/dev/null; kill -TERM $pid 2>/dev/null; sleep 3; kill -KILL $pid 2>/dev/null ) >/dev/null 2>&1 &
exec 3<&-
wait $pid
st=$?
[ -n "$pushed" ] && rm -f "$pushed"
exit $st
`

// listScript describes every interface, for wirelens -D ssh://host.
const listScript = `
for d in /sys/class/net/*; do
	[ -e "$d" ] && describe "${d##*/}"
done
echo 'WIRELENS-INFO-END'
`

// pushScript stores the binary that arrives on standard input in a private
// temporary file and prints its path, after checking that the host runs
// the same architecture.
const pushScript = `
a=$(uname -m 2>/dev/null)
if [ "$a" != "$arch" ]; then echo "arch=$a"; exit 93; fi
umask 077
f=$(mktemp "${TMPDIR:-/tmp}/wirelens-push.XXXXXX") || exit 1
if cat > "$f" && chmod 700 "$f"; then echo "path=$f"; else rm -f "$f"; exit 1; fi
`

// shellQuote makes s one word for a POSIX shell, whatever it holds.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// assign renders the script's parameters as shell assignments.
func assign(vars [][2]string) string {
	var b strings.Builder
	for _, v := range vars {
		b.WriteString(v[0] + "=" + shellQuote(v[1]) + "\n")
	}
	return b.String()
}

// command wraps a script for ssh, which hands its command to the remote
// user's login shell: "exec /bin/sh -c '...'" runs it in sh whatever that
// shell is, and whatever PATH the login gives.
func command(script string) string {
	return "exec /bin/sh -c " + shellQuote(script)
}

func captureCommand(t Target, o Options, pushed string) string {
	keep := "0"
	if o.KeepSSH {
		keep = "1"
	}
	want := o.Tool
	if want == "" {
		want = "auto"
	}
	return command(assign([][2]string{
		{"iface", t.Iface}, {"filter", o.Filter}, {"snap", strconv.Itoa(o.SnapLen)},
		{"want", want}, {"pushed", pushed}, {"keepssh", keep},
	}) + probeScript + captureScript)
}

func listCommand() string { return command(probeScript + listScript) }

func pushCommand(arch string) string {
	return command(assign([][2]string{{"arch", arch}}) + pushScript)
}
