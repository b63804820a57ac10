package lang

import (
	"testing"
	"time"
)

// TestFormatDuration: archform's one duration writer writes what the
// language reads back.
func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", time.Minute: "60s", 90 * time.Second: "90s", 5 * time.Minute: "5m", 250 * time.Millisecond: "250ms",
		2 * time.Hour: "2h", 1500 * time.Microsecond: "1.5ms", 250 * time.Microsecond: "0.25ms", 1500 * time.Millisecond: "1500ms",
	} {
		got := FormatDuration(d)
		if got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
		if back, err := ParseDuration(got); err != nil || back != d {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", got, back, err, d)
		}
	}
}
