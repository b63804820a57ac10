package lang

import (
	"fmt"

	"github.com/agext/levenshtein"
)

// nearest returns the candidate closest to given when it is close enough to
// be a likely typo (edit distance under 3, as HCL's own suggestions, and at
// most half the length of given, so that "c" does not suggest "a"), or "".
// It runs only when an error is reported, so its linear cost is not paid by
// valid designs.
func nearest(given string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if c == given {
			continue
		}
		if d := levenshtein.Distance(given, c, nil); d < bestDist && 2*d <= len(given) {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean returns ` Did you mean "x"?` for the nearest candidate, or "".
func didYouMean(given string, candidates []string) string {
	if s := nearest(given, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

func levenshteinDistance(a, b string) int { return levenshtein.Distance(a, b, nil) }
