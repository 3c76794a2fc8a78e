package decode

import "golang.org/x/net/http2/hpack"

// Per-conversation state for application protocols whose Info depends on
// what came before (VNC's handshake steps, FTP's data connections, TFTP's
// transfers): computed on the in-order pass and kept per frame, so a
// frozen re-dissection in any order shows the same. Bounded: conversations
// and kept results are forgotten wholesale past their limits.

type appKey struct {
	proto string
	conv  convKey
}

// appConv is what one protocol remembers of one conversation.
type appConv struct {
	n    [2]int            // messages seen per direction (0: from the lower endpoint)
	vals map[string]string // protocol-defined
}

type appTable struct {
	convs map[appKey]*appConv
	memo  map[appMemoKey]string
	// expect maps an endpoint a control connection announced (FTP PASV,
	// a TFTP client's port) to the protocol and what it said about it.
	expect map[endpointKey]string
	// h2 is the HTTP/2 conversations (http2.go), with each frame's
	// decoded headers and its DATA frames' content types
	h2      map[convKey]*h2Conn
	h2memo  map[h2MemoKey][]hpack.HeaderField
	h2ctype map[h2MemoKey]string
}

type appMemoKey struct {
	proto string
	frame int
}

type endpointKey struct {
	addr [16]byte
	port uint16
}

const (
	maxAppConvs  = 1 << 16
	maxAppMemo   = 1 << 20
	maxAppExpect = 1 << 12
)

// convOf is the direction-independent key of the frame's conversation,
// and the direction (0 when the source is the lower endpoint).
func (b *builder) convOf() (convKey, int, bool) {
	if b.netSrc == nil {
		return convKey{}, 0, false
	}
	src, dst := addrKey(b.netSrc), addrKey(b.netDst)
	if less(dst, b.dport, src, b.sport) {
		return convKey{dst, src, b.dport, b.sport}, 1, true
	}
	return convKey{src, dst, b.sport, b.dport}, 0, true
}

// appInfo runs step on the conversation's state for this frame on the
// in-order pass and returns its text; a frozen dissection gets what the
// in-order pass got.
func (b *builder) appInfo(proto string, step func(c *appConv, dir int) string) string {
	t := b.ds.conv
	t.mu.Lock()
	defer t.mu.Unlock()
	mk := appMemoKey{proto, b.fr.Number}
	if b.ds.Frozen || b.inQuote {
		return t.apps.memo[mk]
	}
	k, dir, ok := b.convOf()
	if !ok {
		return ""
	}
	if t.apps.convs == nil || len(t.apps.convs) >= maxAppConvs {
		t.apps.convs = map[appKey]*appConv{}
	}
	c := t.apps.convs[appKey{proto, k}]
	if c == nil {
		c = &appConv{vals: map[string]string{}}
		t.apps.convs[appKey{proto, k}] = c
	}
	s := step(c, dir)
	c.n[dir]++
	if t.apps.memo == nil || len(t.apps.memo) >= maxAppMemo {
		t.apps.memo = map[appMemoKey]string{}
	}
	t.apps.memo[mk] = s
	return s
}

// expectEndpoint records that addr:port will carry proto (with a note).
func (b *builder) expectEndpoint(addr []byte, port uint16, note string) {
	if b.ds.Frozen || b.inQuote {
		return
	}
	t := b.ds.conv
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.apps.expect == nil || len(t.apps.expect) >= maxAppExpect {
		t.apps.expect = map[endpointKey]string{}
	}
	t.apps.expect[endpointKey{addrKey(addr), port}] = note
}

// expected returns the note of an announced endpoint of this frame.
func (b *builder) expected(prefix string) (string, bool) {
	if b.netSrc == nil {
		return "", false
	}
	t := b.ds.conv
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range []endpointKey{{addrKey(b.netSrc), b.sport}, {addrKey(b.netDst), b.dport}} {
		if n, ok := t.apps.expect[e]; ok && len(n) >= len(prefix) && n[:len(prefix)] == prefix {
			return n[len(prefix):], true
		}
	}
	return "", false
}
