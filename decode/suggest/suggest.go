// Package suggest finds the known names nearest to a misspelt one, for the
// "did you mean" of every error about a field, preference or flag value:
// one notion of "near" for the whole program.
package suggest

import "strings"

// Distance is the optimal-string-alignment edit distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one, since a
// swapped pair is the commonest typo in a dotted name.
func Distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// Nearest returns up to n candidates at the smallest distance from name
// (ignoring case), if that distance is at most maxDist, in the order given.
func Nearest(name string, candidates []string, maxDist, n int) []string {
	lower := strings.ToLower(name)
	best := maxDist + 1
	var out []string
	for _, c := range candidates {
		if d := len(c) - len(lower); d > maxDist || -d > maxDist {
			continue // cannot be near enough; skips most of a long list cheaply
		}
		d := Distance(lower, strings.ToLower(c))
		switch {
		case d > maxDist:
		case d < best:
			best, out = d, []string{c}
		case d == best && len(out) < n:
			out = append(out, c)
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}
