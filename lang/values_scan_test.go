package lang

import (
	"regexp"
	"testing"
)

// The language's duration and quantity syntax, as regular expressions: the
// reference the hand-written scanners (which spare every start-up the
// compilation of these) must agree with.
var (
	durationRE = regexp.MustCompile(`^(?:[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h|d))+$`)
	quantityRE = regexp.MustCompile(`^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$`)
)

var scanCases = []string{
	"", "0", "5", "5s", "250ms", "1.5s", "1.s", ".5s", "1h30m", "1m5s", "1ms5s", "7d", "5 s", "5S",
	"s", "ms", "5x", "1h30", "10m0s", "01s", "1..5s", "1.5.5s", "-5s", "+5s", "5sms", "5mss",
	"500m", "256Mi", "20Gi", "1.5", "1.", ".5", ".", "1e3", "1E3", "1e+3", "1e-3", "1e", "1E",
	"1Ki", "1ki", "1Mii", "1.5Gi", "0.0", "e3", "1e3Mi", "1P", "1Pi", "1n", "1u", "2k", "2K",
}

func TestScannersMatchTheSyntax(t *testing.T) {
	for _, s := range scanCases {
		_, err := ParseDuration(s)
		if got, want := err == nil, durationRE.MatchString(s); got != want {
			t.Errorf("ParseDuration(%q) ok = %v, the syntax says %v", s, got, want)
		}
		if got, want := ValidQuantity(s), quantityRE.MatchString(s); got != want {
			t.Errorf("ValidQuantity(%q) = %v, the syntax says %v", s, got, want)
		}
	}
}

func FuzzScanners(f *testing.F) {
	for _, s := range scanCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := ParseDuration(s)
		if got, want := err == nil, durationRE.MatchString(s); got != want {
			t.Errorf("ParseDuration(%q) ok = %v, the syntax says %v", s, got, want)
		}
		if got, want := ValidQuantity(s), quantityRE.MatchString(s); got != want {
			t.Errorf("ValidQuantity(%q) = %v, the syntax says %v", s, got, want)
		}
	})
}
