package main

import (
	"encoding/json"
	"io"
	"sort"
	"strings"
	"testing"
)

// flattenJSON reads tshark-shaped -T json output with encoding/json's
// token stream (which, unlike Unmarshal, keeps repeated keys) and returns
// per packet the "path=value" of every string value.
func flattenJSON(t *testing.T, s string) [][]string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	var packets [][]string
	var path []string
	var cur []string
	var keys []bool // per open container: an object (keys expected) or an array
	expectKey := false
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid JSON: %v", err)
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				depth++
				keys = append(keys, v == '{')
				if depth == 2 {
					cur = nil
				}
				expectKey = v == '{'
				continue
			case '}', ']':
				depth--
				keys = keys[:len(keys)-1]
				if depth == 1 {
					packets = append(packets, cur)
				}
				if len(path) > 0 && (v == '}' || v == ']') && depth >= 2 {
					path = path[:len(path)-1]
				}
			}
		case string:
			if expectKey {
				path = append(path, v)
				expectKey = false
				continue
			}
			if len(path) > 0 {
				cur = append(cur, strings.Join(path, "/")+"="+v)
				if keys[len(keys)-1] {
					path = path[:len(path)-1]
				}
			}
		default:
			if expectKey {
				t.Fatalf("key %v is not a string", v)
			}
			if len(path) > 0 && keys[len(keys)-1] {
				path = path[:len(path)-1]
			}
		}
		if len(keys) > 0 {
			expectKey = keys[len(keys)-1]
		}
	}
	return packets
}

// compareJSON requires wirelens's -T json to hold the same packets as
// tshark's, and the keys wirelens writes (Wireshark field names) to carry
// tshark's value at the same place in the tree: at least 90% of them, the
// rest (tree differences of the dissectors) listed in the log. Keys tshark has and
// wirelens does not are the fields wirelens does not dissect; wirelens's
// own (wirelens.*) and its text-only lines have no tshark counterpart.
func compareJSON(t *testing.T, want, got string) {
	w, g := flattenJSON(t, want), flattenJSON(t, got)
	if len(w) != len(g) {
		t.Fatalf("tshark has %d packets, wirelens %d", len(w), len(g))
	}
	bad := 0
	total := 0
	for i := range g {
		have := map[string]int{}
		for _, e := range w[i] {
			have[e]++
		}
		var missing []string
		for _, e := range g[i] {
			k, _, _ := strings.Cut(e, "=")
			if strings.Contains(k, "wirelens.") || strings.Contains(k, " ") || strings.Contains(k, "[") {
				continue
			}
			total++
			if have[e] > 0 {
				have[e]--
				continue
			}
			missing = append(missing, e)
		}
		if len(missing) > 0 {
			bad += len(missing)
			sort.Strings(missing)
			if bad <= 40 {
				t.Logf("packet %d: wirelens values tshark does not have: %s", i+1, strings.Join(missing, "; "))
			}
		}
	}
	if total == 0 {
		t.Fatal("no values compared")
	}
	t.Logf("%d values compared, %d differ", total, bad)
	if bad*10 > total {
		t.Errorf("%d of %d values differ from tshark's (more than 10%%)", bad, total)
	}
}
