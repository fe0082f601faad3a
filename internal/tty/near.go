package tty

import "strings"

// Nearest is the name key most likely meant (a mistyped flag, view or
// column: "did you mean …?"): the only one it begins or is
// contained in (rtt: rtt_ms), else one within two edits, else "".
func Nearest(key string, names []string) string {
	var holding []string
	for _, n := range names {
		if len(key) >= 2 && strings.Contains(n, key) {
			holding = append(holding, n)
		}
	}
	if len(holding) == 1 {
		return holding[0]
	}
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(key, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short words.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
