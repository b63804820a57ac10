// Package formula writes the figures behind capacity and availability
// findings the way their messages show them: numbers rounded for reading, and
// utilization as a formula with the numbers put in
// ("utilization = 10000 rps / (12 × 1000 rps) = 0.833").
//
// It is internal to the rules: the rules that talk about load, utilization
// and availability share it so that the same figure reads the same in every
// message.
package formula

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// trim removes trailing zeros (and a trailing point) from a fixed-point number.
func trim(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Num writes a number with six significant digits, never in exponent form:
// 10000, 833.333, 0.00583333.
func Num(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	if v == 0 {
		return "0"
	}
	digits := int(math.Floor(math.Log10(math.Abs(v)))) + 1 // digits before the point
	decimals := 6 - digits
	if decimals < 0 {
		decimals = 0
	}
	return trim(strconv.FormatFloat(v, 'f', decimals, 64))
}

// Sig writes v with n significant digits, trailing zeros trimmed, never in
// exponent form.
func Sig(v float64, n int) string {
	if math.IsInf(v, 0) || math.IsNaN(v) || v == 0 {
		return Num(v)
	}
	digits := int(math.Floor(math.Log10(math.Abs(v)))) + 1
	return trim(strconv.FormatFloat(v, 'f', max(n-digits, 0), 64))
}

// Factor writes a factor x that a message multiplies or divides by, with
// three decimals when the printed result follows from them, else with as
// many significant digits as it takes (gives reports whether the factor as
// printed gives the result the message prints): "1.2", "0.833333".
func Factor(x float64, gives func(printed float64) bool) string {
	s := Ratio(x)
	for n := 4; n <= 15; n++ {
		if v, err := strconv.ParseFloat(s, 64); err == nil && gives(v) {
			return s
		}
		s = Sig(x, n)
	}
	return s
}

// holds reports whether "a op b" is true of the numbers as written.
func holds(a, op, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return true // not numbers this can compare (Inf): leave them
	}
	switch op {
	case ">":
		return x > y
	case "<":
		return x < y
	case "≥":
		return x >= y
	case "≤":
		return x <= y
	}
	return true
}

// Apart writes a and b for the comparison "a op b" (>, <, ≥ or ≤), which
// holds, so that it visibly holds as printed: with first's digits (Ratio,
// Num, ...) when they show it, else with as many significant digits as it
// takes.
func Apart(a float64, op string, b float64, first func(float64) string) (string, string) {
	x, y := first(a), first(b)
	for n := 4; n <= 15 && !holds(x, op, y); n++ {
		x, y = Sig(a, n), Sig(b, n)
	}
	return x, y
}

// Rate writes a rate in requests per second: "10000 rps".
func Rate(v float64) string { return Num(v) + " rps" }

// Ratio writes a utilization or scale factor with three decimals: 0.833, 1.25.
func Ratio(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return trim(strconv.FormatFloat(v, 'f', 3, 64))
}

// Availability writes an availability with six decimals, or more where six
// would hide its distance from 1: 0.999293, 0.99999975.
func Availability(a float64) string {
	decimals := 6
	if u := 1 - a; u > 0 && u < 1 {
		// two significant digits of the unavailability
		if d := int(math.Ceil(-math.Log10(u))) + 1; d > decimals {
			decimals = d
		}
	}
	if decimals > 15 {
		decimals = 15
	}
	return trim(strconv.FormatFloat(a, 'f', decimals, 64))
}

// Millis writes a duration in milliseconds with four decimals: "23.0019 ms".
func Millis(ms float64) string {
	return trim(strconv.FormatFloat(ms, 'f', 4, 64)) + " ms"
}

// Share is the part of a component's instances that carries its hottest
// instance's load in one scenario: the surviving instances with the same
// role and shard as the hottest one.
type Share struct {
	Role  lang.Role
	Shard int
	// Up is how many instances of the share are up; Of how many it has.
	Up, Of int
	// Load is the share's total load (rps).
	Load float64
	// Even is true when the share's instances carry equal loads, so that
	// utilization = Load ÷ (Up × capacity).
	Even bool
}

// Hottest finds the share of c's instances that holds the hottest instance
// under load l. It returns false when l carries no per-instance figures
// that match c's instances.
func Hottest(c *lang.Component, l *analyze.Load) (Share, bool) {
	if l == nil || len(l.Instances) != len(c.Instances) || l.Hottest < 0 || l.Hottest >= len(c.Instances) {
		return Share{}, false
	}
	hot := c.Instances[l.Hottest]
	s := Share{Role: hot.Role, Shard: hot.Shard, Even: true}
	first := -1.0
	for i, in := range c.Instances {
		if in.Role != hot.Role || in.Shard != hot.Shard {
			continue
		}
		s.Of++
		v := l.Instances[i]
		if v < 0 { // lost
			continue
		}
		s.Up++
		s.Load += v
		if first < 0 {
			first = v
		} else if math.Abs(v-first) > 1e-9*math.Max(1, first) {
			s.Even = false
		}
	}
	return s, s.Up > 0
}

// Label names a share of c for a message: "database.orders replicas",
// "database.orders primary (shard 3)", or plain "service.api".
func (s Share) Label(c *lang.Component) string {
	label := c.Addr
	switch s.Role {
	case lang.RolePrimary:
		label += " primary"
	case lang.RoleReplica:
		label += " replicas"
	case lang.RoleMember:
		label += " members"
	}
	if c.Shards > 1 {
		label += fmt.Sprintf(" (shard %d)", s.Shard+1)
	}
	return label
}

// Util is a component's utilization under one load, with what a message
// needs to show it.
type Util struct {
	// Text is the formula with the numbers put in, without a comparison:
	// "utilization = 10000 rps / (12 × 1000 rps) = 0.833".
	Text string
	// Value is the figure (the load's Utilization).
	Value float64
	// Label names the instances the formula is about: "service.api",
	// "database.orders replicas".
	Label string
	// Each is the load of the hottest instance (rps).
	Each float64
	// Up and Of count the share's surviving and declared instances.
	Up, Of int
	// Even is false when the instances carry unequal loads: Each is then
	// the busiest instance's, and the formula shows it alone.
	Even bool

	form string // Text without " = value"
}

// Against is the formula compared with a bound ("utilization = 10000 rps /
// (8 × 1000 rps) = 1.25 ≥ 1"), the value printed with the digits that make
// the comparison visibly true: op is >, <, ≥ or ≤.
func (u Util) Against(op string, bound float64) string {
	v, b := Apart(u.Value, op, bound, Ratio)
	if u.form == "" {
		return u.Text + " " + op + " " + b
	}
	return u.form + " = " + v + " " + op + " " + b
}

// EachText says what each surviving instance carries: "at 1250 rps each",
// or "the busiest at 10000 rps" when they carry unequal loads.
func (u Util) EachText() string {
	if u.Even {
		return "at " + Rate(u.Each) + " each"
	}
	return "the busiest at " + Rate(u.Each)
}

// Utilization writes c's utilization under load l as a formula. The formula
// divides the load of the hottest share by its surviving instances'
// capacity when they share it evenly, and shows the hottest instance alone
// otherwise.
func Utilization(c *lang.Component, l *analyze.Load) Util {
	u := Util{Value: l.Utilization, Label: c.Addr, Up: l.Up, Of: len(c.Instances)}
	s, ok := Hottest(c, l)
	switch {
	case ok && s.Even:
		u.Label, u.Up, u.Of, u.Each, u.Even = s.Label(c), s.Up, s.Of, s.Load/float64(s.Up), true
		u.form = fmt.Sprintf("utilization = %s / (%d × %s)", Rate(s.Load), s.Up, Rate(c.CapacityRPS))
	case ok:
		u.Label, u.Up, u.Of, u.Each = s.Label(c), s.Up, s.Of, l.Instances[l.Hottest]
		u.form = fmt.Sprintf("utilization = %s / %s", Rate(u.Each), Rate(c.CapacityRPS))
	default:
		if l.Up > 0 {
			u.Each = l.Total() / float64(l.Up)
		}
		u.Even = true
		u.form = fmt.Sprintf("utilization = %s / (%d × %s)", Rate(l.Total()), l.Up, Rate(c.CapacityRPS))
	}
	u.Text = u.form + " = " + Ratio(u.Value)
	return u
}

// maxNames is how many names Names lists before it counts the rest.
const maxNames = 5

// Names joins names for a message, the first five of them: "browse, order",
// "a, b, c, d, e and 7 more".
func Names(names []string) string {
	if len(names) <= maxNames {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:maxNames], ", "), len(names)-maxNames)
}

// List joins names for a sentence: `a`, `a and b`, `a, b and c`, and past
// five of them, as Names does, "a, b, c, d, e and 7 more".
func List(names []string) string {
	switch {
	case len(names) == 0:
		return ""
	case len(names) == 1:
		return names[0]
	case len(names) > maxNames:
		return Names(names)
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
