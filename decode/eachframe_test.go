package decode

import (
	"errors"
	"io"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
)

// EachRecord calls fn with every record of the capture at path, in
// order, numbered from 1, until fn returns false. data is reused for the
// next record. Exported for the external tests too, so that no test
// carries its own read loop.
func EachRecord(t testing.TB, path string, fn func(n int, rec capfile.Record, data []byte, iface *capfile.Interface) bool) {
	t.Helper()
	rd, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for n := 1; ; n++ {
		rec, data, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s frame %d: %v", path, n, err)
		}
		if !fn(n, rec, data, rd.Interface(rec.Interface)) {
			return
		}
	}
}

// EachFrame dissects every frame of the capture at path in order with ds
// (its interface attached, as the capture package does) and calls fn with
// each, until fn returns false. The frame's Data and the dissection are
// reused for the next frame: copy what must outlive the call.
func EachFrame(t testing.TB, path string, ds *Dissector, fn func(fr *Frame, d *Dissection) bool) {
	t.Helper()
	var d Dissection
	EachRecord(t, path, func(n int, rec capfile.Record, data []byte, iface *capfile.Interface) bool {
		fr := &Frame{Number: n, Data: data, Record: rec, Iface: iface}
		ds.Dissect(fr, &d)
		return fn(fr, &d)
	})
}

// ReadFrames dissects every frame of the capture at path in order with ds
// and keeps them all: each frame (its data copied) and its own
// dissection, for tests that re-dissect them later (frozen, backwards).
func ReadFrames(t testing.TB, ds *Dissector, path string) ([]*Frame, []Dissection) {
	t.Helper()
	var frames []*Frame
	var ds2 []Dissection
	EachRecord(t, path, func(n int, rec capfile.Record, data []byte, _ *capfile.Interface) bool {
		fr := &Frame{Number: n, Data: append([]byte(nil), data...), Record: rec}
		var d Dissection
		ds.Dissect(fr, &d)
		frames = append(frames, fr)
		ds2 = append(ds2, d)
		return true
	})
	return frames, ds2
}
