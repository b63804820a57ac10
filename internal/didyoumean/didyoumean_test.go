package didyoumean

import "testing"

func TestNearest(t *testing.T) {
	cands := []string{"replicas", "region", "zones", "spof", "capacity_rps"}
	for _, tc := range []struct{ given, want string }{
		{"replicass", "replicas"}, // one insertion
		{"zone", "zones"},
		{"spf", "spof"},
		{"capacity_rpz", "capacity_rps"},
		{"regoin", "region"}, // a transposition is two edits
		{"replicas", ""},     // the name itself is never suggested
		{"c", ""},            // too short for any edit to be a typo
		{"availability", ""}, // nothing close
		{"zonesxyz", ""},     // three edits: too far
	} {
		if got := Nearest(tc.given, cands); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.given, got, tc.want)
		}
	}
}

func TestNearestPrefersTheClosest(t *testing.T) {
	if got := Nearest("abcd", []string{"abxy", "abce"}); got != "abce" {
		t.Errorf("Nearest = %q, want the candidate one edit away", got)
	}
	if got := Nearest("abcd", []string{"abce", "abcf"}); got != "abce" {
		t.Errorf("Nearest = %q, want the first of two equally close", got)
	}
}

func TestSuffix(t *testing.T) {
	if got, want := Suffix("replicass", []string{"replicas"}), ` Did you mean "replicas"?`; got != want {
		t.Errorf("Suffix = %q, want %q", got, want)
	}
	if got := Suffix("xyz", []string{"replicas"}); got != "" {
		t.Errorf("Suffix = %q, want none", got)
	}
}
