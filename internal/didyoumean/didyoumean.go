// Package didyoumean suggests the name a user probably meant when the one
// they wrote is unknown: an attribute, a block type, a variable, a zone, a
// rule ID. One threshold serves every message, so that a typo is suggested
// the same way wherever it is made.
package didyoumean

import (
	"fmt"

	"github.com/agext/levenshtein"
)

// maxDistance bounds the edit distance of a suggestion: under 3, as HCL's own
// suggestions are.
const maxDistance = 3

// Nearest returns the candidate closest to given when it is close enough to
// be a likely typo, or "": an edit distance under 3, and at most half the
// length of given, so that "c" does not suggest "a". Of equally close
// candidates the first wins; a candidate equal to given is never suggested.
// It runs only when an error is reported, so its linear cost is not paid by
// valid input.
func Nearest(given string, candidates []string) string {
	best, bestDist := "", maxDistance
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

// Suffix returns ` Did you mean "x"?` for the nearest candidate, or "": the
// sentence archform appends to an error about an unknown name.
func Suffix(given string, candidates []string) string {
	if s := Nearest(given, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
