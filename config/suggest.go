package config

import "strings"

// suggest returns the candidate closest to word, compared case-insensitively, when
// it is close enough to be a likely misspelling (a case difference or at most two
// edits, and fewer than half the letters); otherwise "".
func suggest(word string, candidates []string) string {
	lw := strings.ToLower(word)
	best, bestDist := "", 3
	for _, c := range candidates {
		d := editDistance(lw, strings.ToLower(c))
		if d < bestDist && 2*d < len(c) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes. Inputs longer
// than 64 bytes are compared only as equal or not, to keep the cost bounded.
func editDistance(a, b string) int {
	if a == b {
		return 0
	}
	if len(a) > 64 || len(b) > 64 {
		return max(len(a), len(b))
	}
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
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// topKeyNames returns the top-level key names in table order.
func topKeyNames() []string {
	var names []string
	for _, k := range Keys {
		if !k.IsExporterOption() {
			names = append(names, k.Name)
		}
	}
	return names
}

// optionNames returns the exporter option names in table order.
func optionNames() []string {
	var names []string
	for _, k := range Keys {
		if opt := k.Option(); opt != "" {
			names = append(names, opt)
		}
	}
	return names
}
