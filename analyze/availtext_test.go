package analyze

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestNines(t *testing.T) {
	for _, c := range []struct {
		a    float64
		want string
	}{
		{0.999, "99.90%"}, {0.99283, "99.28%"}, {0.9999975, "99.99975%"}, {1, "100%"},
		{0.999293, "99.929%"}, {0.99999999, "99.9999990%"}, {0.5, "50.00%"}, {0, "0%"},
		{1 - 1e-16, ">99.999999999999%"},
	} {
		if got := Nines(c.a); got != c.want {
			t.Errorf("Nines(%v) = %q, want %q", c.a, got, c.want)
		}
	}
}

// Every availability below 1 reads below 100%, at any distance from it.
func TestNinesNeverHundred(t *testing.T) {
	for e := 1.0; e < 17; e += 0.25 {
		a := 1 - math.Pow(10, -e)
		if a >= 1 {
			continue
		}
		s := strings.TrimSuffix(strings.TrimPrefix(Nines(a), ">"), "%")
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v >= 100 {
			t.Errorf("Nines(1 - 1e-%.2f) = %q: reads as 100%%", e, Nines(a))
		}
	}
}

func TestDowntime(t *testing.T) {
	for _, c := range []struct {
		a    float64
		want string
	}{
		{0.999, "43 min/month"}, {0.9999, "4.3 min/month"}, {0.99999, "26 s/month"},
		{0.99999999, "0.026 s/month"}, {0.99, "7.2 h/month"}, {0.9, "3.0 days/month"}, {1, "0 min/month"},
		{1 - 9.96/MinutesPerMonth, "10 min/month"},
	} {
		if got := Downtime(c.a); got != c.want {
			t.Errorf("Downtime(%v) = %q, want %q", c.a, got, c.want)
		}
	}
}
