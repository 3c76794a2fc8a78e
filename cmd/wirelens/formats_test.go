package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// formatCaptures are real, crafted and hostile captures (escape
// sequences, invisible characters, malformed frames in packet data and
// comments) every structured format must write validly.
var formatCaptures = []string{
	"crafted/dns.pcap", "crafted/tcp-bad-cksum.pcap", "crafted/pcapng-multi-if.pcapng",
	"captures/veth-offload-a-eth.pcap", "captures/tcp-lossy-b.pcap",
	"hostile/pcap-esc.pcap", "hostile/ng-esc.pcapng", "hostile/pcap-invisible.pcap",
	"hostile/ng-invisible.pcapng", "hostile/pcap-malformed-frames.pcap",
}

// clean fails on output that is not UTF-8 or carries a control or
// invisible format character other than newline and tab.
func clean(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s: not UTF-8", what)
	}
	for i, r := range out {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
			t.Fatalf("%s: character %U at byte %d", what, r, i)
		}
	}
}

// TestStructuredFormats: -T pdml and psml parse as XML with tshark's
// elements (pdml: packet, proto, field with name/showname/size/pos/show),
// one packet element per frame; -T ek is two JSON lines a frame (the
// index line, then the packet with its layers); -T jsonraw is a JSON
// array of packets with frame_raw. All of them sanitised.
func TestStructuredFormats(t *testing.T) {
	root := filepath.Join("..", "..", "testdata")
	for _, c := range formatCaptures {
		path := filepath.Join(root, c)
		count, _, _ := runCapture(t, []string{"-r", path, "-T", "fields", "-e", "frame.number"})
		frames := strings.Count(count, "\n")
		t.Run(c, func(t *testing.T) {
			for _, format := range []string{"pdml", "psml"} {
				out, _, _ := runCapture(t, []string{"-r", path, "-T", format})
				clean(t, format, out)
				dec := xml.NewDecoder(strings.NewReader(out))
				packets, depth := 0, 0
				for {
					tok, err := dec.Token()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatalf("-T %s: %v", format, err)
					}
					switch e := tok.(type) {
					case xml.StartElement:
						depth++
						if e.Name.Local == "packet" {
							packets++
						}
						if format == "pdml" && (e.Name.Local == "field" || e.Name.Local == "proto") && depth > 3 {
							have := map[string]bool{}
							for _, a := range e.Attr {
								have[a.Name.Local] = true
							}
							for _, a := range []string{"name", "showname", "size", "pos"} {
								if !have[a] {
									t.Fatalf("-T pdml: <%s> without %s: %v", e.Name.Local, a, e.Attr)
								}
							}
						}
					case xml.EndElement:
						depth--
					}
				}
				if packets != frames {
					t.Errorf("-T %s: %d packets, want %d", format, packets, frames)
				}
			}
			out, _, _ := runCapture(t, []string{"-r", path, "-T", "ek"})
			clean(t, "ek", out)
			sc := bufio.NewScanner(strings.NewReader(out))
			sc.Buffer(nil, 1<<24)
			lines := 0
			for sc.Scan() {
				var v map[string]any
				if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
					t.Fatalf("-T ek line %d: %v", lines+1, err)
				}
				key := "index"
				if lines%2 == 1 {
					key = "layers"
				}
				if _, ok := v[key]; !ok {
					t.Fatalf("-T ek line %d has no %q: %.200s", lines+1, key, sc.Text())
				}
				lines++
			}
			if lines != 2*frames {
				t.Errorf("-T ek: %d lines, want %d", lines, 2*frames)
			}
			out, _, _ = runCapture(t, []string{"-r", path, "-T", "jsonraw"})
			clean(t, "jsonraw", out)
			var pk []struct {
				Source struct {
					Layers map[string]json.RawMessage `json:"layers"`
				} `json:"_source"`
			}
			if err := json.Unmarshal([]byte(out), &pk); err != nil {
				t.Fatalf("-T jsonraw: %v", err)
			}
			if len(pk) != frames {
				t.Fatalf("-T jsonraw: %d packets, want %d", len(pk), frames)
			}
			for _, p := range pk {
				if _, ok := p.Source.Layers["frame_raw"]; !ok {
					t.Fatal("-T jsonraw: a packet without frame_raw")
				}
			}
		})
	}
}

// TestEKLikeTshark: -T ek's values are tshark's where the dissectors
// agree, a field's repeats under one parent an array, booleans JSON
// booleans, times ISO 8601 (tshark 4.0's output on icmp-echo, frame 1).
func TestEKLikeTshark(t *testing.T) {
	out, _, _ := runCapture(t, []string{"-r", "../../testdata/crafted/icmp-echo.pcap", "-T", "ek", "-c", "1"})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || lines[0] != `{"index":{"_index":"packets-2023-11-14","_type":"doc"}}` {
		t.Fatalf("ek:\n%s", out)
	}
	var v struct {
		Timestamp string                    `json:"timestamp"`
		Layers    map[string]map[string]any `json:"layers"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &v); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{
		"frame": {"frame_frame_time": "2023-11-14T22:13:20.000123000Z", "frame_frame_number": "1", "frame_frame_marked": false},
		"eth":   {"eth_eth_type": "0x0800", "eth_eth_dst": "02:00:00:00:00:0b", "eth_eth_lg": true},
		"ip":    {"ip_ip_ttl": "64", "ip_ip_addr": []any{"192.0.2.1", "192.0.2.2"}, "ip_ip_flags_df": true},
	}
	if v.Timestamp != "1700000000000" {
		t.Errorf("timestamp %q", v.Timestamp)
	}
	for layer, kv := range want {
		for k, w := range kv {
			got := v.Layers[layer][k]
			if gj, _ := json.Marshal(got); string(gj) != mustJSON(w) {
				t.Errorf("%s.%s = %s, tshark %s", layer, k, gj, mustJSON(w))
			}
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
