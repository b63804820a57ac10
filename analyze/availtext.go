package analyze

import (
	"math"
	"strconv"
	"strings"
)

// How an availability is written for people (lint's text tables, the HTML
// report, diff and what-if): as a percentage with as many nines as it has,
// and as the downtime it means in a month. The JSON keeps the exact number.

// MinutesPerMonth is the minutes of a 30-day month.
const MinutesPerMonth = 30 * 24 * 60

// maxNinesDigits bounds the decimals Nines writes after the point.
const maxNinesDigits = 12

// Nines writes an availability as a percentage with the digits that give
// its unavailability two significant figures (at least two decimals), so
// that it never reads as 100% unless it is 1: 0.999 → "99.90%", 0.9999975 →
// "99.99975%", 0.99999999 → "99.9999990%", 1 → "100%". Beyond twelve
// decimals it is ">99.999999999999%".
func Nines(a float64) string {
	switch {
	case math.IsNaN(a):
		return "-"
	case a >= 1:
		return "100%"
	case a <= 0:
		return "0%"
	}
	down := (1 - a) * 100
	digits := max(2, int(math.Ceil(-math.Log10(down)))+1)
	if digits > maxNinesDigits {
		return ">99." + strings.Repeat("9", maxNinesDigits) + "%"
	}
	s := strconv.FormatFloat(a*100, 'f', digits, 64)
	if strings.HasPrefix(s, "100") {
		// 1 − a rounds its second figure up into the last place: one
		// digit more keeps it below 100.
		s = strconv.FormatFloat(a*100, 'f', digits+1, 64)
	}
	return s + "%"
}

// Downtime writes what an availability means in a 30-day month, with two
// significant figures in the unit that suits it: "43 min/month",
// "26 s/month", "0.026 s/month", "7.2 h/month", "3.5 days/month";
// "0 min/month" for an availability of 1.
func Downtime(a float64) string {
	if math.IsNaN(a) {
		return "-"
	}
	m := (1 - a) * MinutesPerMonth
	switch {
	case m <= 0:
		return "0 min/month"
	case m < 1:
		return twoFigures(m*60) + " s/month"
	case m < 100:
		return twoFigures(m) + " min/month"
	case m < 60*48:
		return twoFigures(m/60) + " h/month"
	}
	return twoFigures(m/1440) + " days/month"
}

// twoFigures writes v > 0 with two significant figures in plain decimal
// notation (no exponent): 43.2 → "43", 0.02592 → "0.026", 720 → "720".
func twoFigures(v float64) string {
	decimals := max(0, 1-int(math.Floor(math.Log10(v))))
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if decimals > 0 && strings.HasPrefix(s, "10") && len(strings.TrimLeft(strings.Replace(s, ".", "", 1), "0")) > 2 {
		// 9.96 rounded to "10.0": one decimal fewer.
		s = strconv.FormatFloat(v, 'f', decimals-1, 64)
	}
	return s
}
