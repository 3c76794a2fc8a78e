package live

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
)

// readBack reads a file written by Writer with capfile.
func readBack(t testing.TB, b []byte) ([]capfile.Interface, []capfile.Record, [][]byte) {
	t.Helper()
	r, err := capfile.NewReader(bytes.NewReader(b), "written", capfile.Options{})
	if err != nil {
		t.Fatalf("capfile: %v", err)
	}
	defer r.Close()
	var recs []capfile.Record
	var data [][]byte
	for {
		rec, d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("capfile after %d records: %v", len(recs), err)
		}
		recs = append(recs, rec)
		data = append(data, append([]byte(nil), d...))
	}
	return append([]capfile.Interface(nil), r.Interfaces()...), recs, data
}

// sameRecord compares what the writer promises to keep: everything but
// where the record sits in the file.
func sameRecord(a, b capfile.Record) bool {
	a.Offset, a.DataOff, b.Offset, b.DataOff = 0, 0, 0, 0
	if len(a.Comments) == 0 {
		a.Comments = nil
	}
	if len(b.Comments) == 0 {
		b.Comments = nil
	}
	return reflect.DeepEqual(a, b)
}

func sampleFile(t testing.TB) ([]byte, []capfile.Record) {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	off := Offloads{RxChecksum: true, TxChecksum: true, TSO: true, GSO: true, SG: true, Known: true}
	id0, err := w.AddInterface(capfile.Interface{Name: "wlA", LinkType: capfile.LinkEthernet, SnapLen: 262144, FCSLen: -1}, off)
	if err != nil {
		t.Fatal(err)
	}
	id1, err := w.AddInterface(capfile.Interface{Name: "any", LinkType: capfile.LinkSLL2, SnapLen: 96, FCSLen: -1, Comments: []string{"all of them"}}, Offloads{})
	if err != nil {
		t.Fatal(err)
	}
	eth := []byte{0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}
	recs := []capfile.Record{
		{Timestamp: 1_700_000_000_123_456_789, CapLen: uint32(len(eth)), OrigLen: 1514, LinkType: capfile.LinkEthernet, Interface: id0,
			Flags: EPBFlags(PktOutgoing), HasFlags: true, Direction: capfile.DirOutbound, Comments: []string{CommentCsumNotReady}},
		{Timestamp: 1_700_000_000_223_456_789, CapLen: uint32(len(eth)), OrigLen: uint32(len(eth)), LinkType: capfile.LinkEthernet, Interface: id0,
			Flags: EPBFlags(PktHost), HasFlags: true, Direction: capfile.DirInbound},
		{Timestamp: 1_700_000_001_000_000_000, CapLen: 21, OrigLen: 40, LinkType: capfile.LinkSLL2, Interface: id1,
			Flags: EPBFlags(PktBroadcast), HasFlags: true, Direction: capfile.DirInbound, DropCount: 3},
	}
	datas := [][]byte{eth, eth, eth[:21]}
	for i, rec := range recs {
		if err := w.WritePacket(rec, datas[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteStats(id0, recs[0].Timestamp, recs[2].Timestamp, Stats{Received: 5, Dropped: 1}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), recs
}

func TestWriterRoundTrip(t *testing.T) {
	b, recs := sampleFile(t)
	ifs, got, _ := readBack(t, b)
	if len(got) != len(recs) {
		t.Fatalf("read %d records, wrote %d", len(got), len(recs))
	}
	for i := range recs {
		if !sameRecord(got[i], recs[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], recs[i])
		}
	}
	if len(ifs) != 2 || ifs[0].Name != "wlA" || ifs[1].Name != "any" || ifs[0].TSResolNs != 1 || ifs[1].SnapLen != 96 {
		t.Fatalf("interfaces: %+v", ifs)
	}
	off, ok := ParseOffloadDescription(ifs[0].Description)
	if !ok || !strings.HasPrefix(off.String(), "rx-csum tx-csum tso gso !gro !lro sg !tx-udp_tnl-segmentation") {
		t.Fatalf("description %q gives %v %v", ifs[0].Description, off, ok)
	}
	if len(ifs[0].Comments) != 1 || !strings.Contains(ifs[0].Comments[0], "transmit checksum offload") {
		t.Fatalf("interface comments: %q", ifs[0].Comments)
	}
	if _, ok := ParseOffloadDescription(ifs[1].Description); ok || ifs[1].Description != "" {
		t.Fatalf("any: description %q", ifs[1].Description)
	}
	if !ChecksumNotReady(&got[0]) || ChecksumNotReady(&got[1]) {
		t.Fatal("checksum status lost")
	}
}

func TestWriterErrors(t *testing.T) {
	w := NewWriter(io.Discard)
	if err := w.WritePacket(capfile.Record{}, nil); err == nil {
		t.Fatal("packet on an interface never added")
	}
	if _, err := w.AddInterface(capfile.Interface{Name: "x"}, Offloads{}); err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(capfile.Record{}, make([]byte, capfile.MaxCapLen+1)); err == nil {
		t.Fatal("oversized packet accepted")
	}
	if err := w.WritePacket(capfile.Record{Comments: []string{strings.Repeat("x", 70000)}}, nil); err == nil {
		t.Fatal("oversized comment accepted")
	}
	// Neither error is sticky.
	if err := w.WritePacket(capfile.Record{}, []byte{1}); err != nil {
		t.Fatal(err)
	}
	// An empty capture is still a valid file.
	var buf bytes.Buffer
	if err := NewWriter(&buf).Flush(); err != nil {
		t.Fatal(err)
	}
	if _, recs, _ := readBack(t, buf.Bytes()); len(recs) != 0 {
		t.Fatal("records in an empty file")
	}
}

// TestWriterTshark checks that tshark reads the same flags, names and
// comments (it needs no privilege, only tshark).
func TestWriterTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		missing(t, "tshark is not installed")
	}
	b, _ := sampleFile(t)
	path := filepath.Join(t.TempDir(), "f.pcapng")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	got := tsharkFields(t, path)
	want := []string{
		"0x00000002\twlA\t" + CommentCsumNotReady,
		"0x00000001\twlA\t",
		"0x00000001\tany\t",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tshark:\n%q\nwant\n%q", got, want)
	}
}

func tsharkFields(t testing.TB, path string) []string {
	t.Helper()
	cmd := exec.Command("tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.packet_flags_direction", "-e", "frame.interface_name", "-e", "frame.comment")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir()) // no user preferences
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark -r %s: %v", path, err)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}
