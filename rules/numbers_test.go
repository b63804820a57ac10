package rules_test

import (
	"fmt"
	"iter"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
)

// Every figure a finding prints must agree with itself: each comparison
// ("1.25 ≥ 1", "0.99283 < 0.9995", "60000 rps > 54000 rps") holds between
// the numbers as printed, and each formula ("10000 rps / (8 × 1000 rps) =
// 1.25", "0.999 × 0.99 = 0.98901", "⌊10000 rps / 1000 rps⌋ + 1 = 11")
// gives the printed result at its printed precision.

// num is a printed number with its unit, and the precision it was printed
// at (half a unit of its last digit).
type num struct {
	v    float64
	unit string
	half float64
	text string
}

const numRE = `(-?\d+(?:\.\d+)?)(?:\s?(rps|ms|s|min|h|%|MB|GB|KB|B|messages|msg/s))?`

var (
	// A op B, the left side possibly followed by a parenthesis ("60000 rps
	// (global) > ..."). The left number must not continue a formula (it is
	// not preceded by "/", "×" or an operator: then the comparison is of
	// the formula's result, which is the number before the operator anyway).
	cmpRE = regexp.MustCompile(numRE + `(?:\s\([^()]*\))?\s(>|<|≥|≤|>=|<=)\s` + numRE)
	// a / b = c and a / (n × b) = c, possibly 1 − a / b = c
	divRE = regexp.MustCompile(`(1\s−\s)?` + numRE + `\s/\s(?:\((\d+)\s×\s)?` + numRE + `\)?\s=\s` + numRE)
	// ⌊a / b⌋ + 1 = n, or n = ⌊a / b⌋ + 1
	floorRE  = regexp.MustCompile(`⌊` + numRE + `\s/\s` + numRE + `⌋\s\+\s1\s=\s(\d+)`)
	floorRE2 = regexp.MustCompile(`(\d+)\s=\s⌊` + numRE + `\s/\s` + numRE + `⌋\s\+\s1`)
	// a (…) × b (…) × … = p
	prodRE = regexp.MustCompile(`((?:` + numRE + `(?:\s\([^()]*(?:\([^()]*\)[^()]*)*\))?\s×\s)+` + numRE + `(?:\s\([^()]*(?:\([^()]*\)[^()]*)*\))?)\s=\s` + numRE)
	leadRE = regexp.MustCompile(`^` + numRE)
)

func parseNum(text, unit string) num {
	v, _ := strconv.ParseFloat(text, 64)
	dec := 0
	if i := strings.IndexByte(text, '.'); i >= 0 {
		dec = len(text) - i - 1
	}
	return num{v: v, unit: unit, half: 0.5 * math.Pow(10, -float64(dec)), text: text}
}

// inMillis converts a duration to milliseconds (other units unchanged).
func (n num) inMillis() num {
	switch n.unit {
	case "s":
		return num{v: n.v * 1000, unit: "ms", half: n.half * 1000, text: n.text}
	case "min":
		return num{v: n.v * 60000, unit: "ms", half: n.half * 60000, text: n.text}
	case "h":
		return num{v: n.v * 3600000, unit: "ms", half: n.half * 3600000, text: n.text}
	}
	return n
}

// checkFigures returns what in msg does not hold as printed.
func checkFigures(msg string) []string {
	var bad []string
	for _, m := range cmpRE.FindAllStringSubmatch(msg, -1) {
		a, b := parseNum(m[1], m[2]).inMillis(), parseNum(m[4], m[5]).inMillis()
		if a.unit != "" && b.unit != "" && a.unit != b.unit {
			continue // not the same quantity (a unit this test does not convert)
		}
		var ok bool
		switch m[3] {
		case ">":
			ok = a.v > b.v
		case "<":
			ok = a.v < b.v
		case "≥", ">=":
			ok = a.v >= b.v
		case "≤", "<=":
			ok = a.v <= b.v
		}
		if !ok {
			bad = append(bad, fmt.Sprintf("%q does not hold as printed", m[0]))
		}
	}
	for _, m := range divRE.FindAllStringSubmatch(msg, -1) {
		m = m[1:]
		a, b, c := parseNum(m[1], m[2]), parseNum(m[4], m[5]), parseNum(m[6], m[7])
		n := 1.0
		if m[3] != "" {
			n, _ = strconv.ParseFloat(m[3], 64)
		}
		if b.v == 0 {
			continue
		}
		got := a.v / (n * b.v)
		if m[0] != "" {
			got = 1 - got
		}
		if c.unit == "%" {
			c = num{v: c.v / 100, half: c.half / 100, text: c.text}
		}
		// The result is rounded where it is printed; its operands carry six
		// significant digits.
		tol := c.half + math.Abs(got)*1e-5
		if math.Abs(got-c.v) > tol {
			bad = append(bad, fmt.Sprintf("%q: %s / (%g × %s) is %g", m[0], m[1], n, m[4], got))
		}
	}
	check := func(m []string, a, b num, want string) {
		if b.v == 0 {
			return
		}
		// As printed: a reader divides the numbers shown.
		n, _ := strconv.Atoi(want)
		if float64(n) != math.Floor(a.v/b.v)+1 {
			bad = append(bad, fmt.Sprintf("%q: ⌊%s / %s⌋ + 1 is %g", m[0], a.text, b.text, math.Floor(a.v/b.v)+1))
		}
	}
	for _, m := range floorRE.FindAllStringSubmatch(msg, -1) {
		check(m, parseNum(m[1], m[2]), parseNum(m[3], m[4]), m[5])
	}
	for _, m := range floorRE2.FindAllStringSubmatch(msg, -1) {
		check(m, parseNum(m[2], m[3]), parseNum(m[4], m[5]), m[1])
	}
	for _, m := range prodRE.FindAllStringSubmatch(msg, -1) {
		factors := strings.Split(m[1], " × ")
		p, relTol := 1.0, 0.0
		okParse := true
		var xs []num
		rate := false
		for _, f := range factors {
			lm := leadRE.FindStringSubmatch(f)
			if lm == nil {
				okParse = false
				break
			}
			x := parseNum(lm[1], lm[2])
			rate = rate || x.unit == "rps"
			xs = append(xs, x)
		}
		for _, x := range xs {
			if rate && x.unit == "ms" { // rps × ms: Little's law, in seconds
				x.v, x.half = x.v/1000, x.half/1000
			}
			p *= x.v
			// Each factor carries six significant digits (trailing
			// zeros are not printed, so its text does not say).
			relTol += 5e-6
		}
		if !okParse {
			continue
		}
		c := parseNum(m[len(m)-2], m[len(m)-1])
		if math.Abs(p-c.v) > (c.half+math.Abs(p)*relTol)*1.0000001 {
			bad = append(bad, fmt.Sprintf("%q: the product is %g", m[0], p))
		}
	}
	return bad
}

// TestCheckFigures: the checker itself finds what it must.
func TestCheckFigures(t *testing.T) {
	for _, tc := range []struct {
		msg string
		bad bool
	}{
		{"utilization = 10000 rps / (8 × 1000 rps) = 1.25 ≥ 1", false},
		{"rate_limit 60000 rps (global) > 60000 rps = 40000 rps / 0.667", true},
		{"utilization = 10000 rps / 5000 rps = 2", false},
		{"utilization = 10000 rps / (2 × 5000 rps) = 2", true},
		{"p99 = 95.3962 ms > 80 ms", false},
		{"p99 = 0.08 s > 80 ms", true},
		{"availability = 0.999999 (load_balancer.edge 1-of-2) × 0.993825 (service.api 11-of-12) × 0.9995 (database.orders primary) = 0.993327 < 0.9995", false},
		{"availability = 0.999999 (a 1-of-2) × 0.9 (b) = 0.95", true},
		{"it needs 11 = ⌊10000 rps / 1000 rps⌋ + 1 (flows: browse)", false},
		{"it needs 10 = ⌊10000 rps / 1000 rps⌋ + 1", true},
		{"utilization = 0.833 > 0.8", false},
		{"utilization = 0.8 > 0.8", true},
	} {
		if got := checkFigures(tc.msg); (len(got) > 0) != tc.bad {
			t.Errorf("checkFigures(%q) = %q, want bad = %v", tc.msg, got, tc.bad)
		}
	}
}

// exampleDesigns are the example designs of testdata/ and the rules'
// testdata designs that load.
func exampleDesigns(t *testing.T) map[string]*lang.Design {
	t.Helper()
	var paths []string
	for _, pattern := range []string{"../testdata/*", "*/testdata/*"} {
		m, _ := filepath.Glob(pattern)
		paths = append(paths, m...)
	}
	out := map[string]*lang.Design{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || (!st.IsDir() && !strings.HasSuffix(p, ".arch.hcl")) {
			continue
		}
		d, diags := lang.Load(p, lang.Options{})
		if diags.HasErrors() {
			continue
		}
		out[p] = d
	}
	return out
}

// TestFiguresAgree walks every finding of every example design, and of
// every imported corpus system, and checks each printed comparison and
// formula.
func TestFiguresAgree(t *testing.T) {
	designs := exampleDesigns(t)
	if len(designs) < 10 {
		t.Fatalf("only %d example designs load", len(designs))
	}
	checkDesignFigures(t, designs)
	t.Run("corpus", func(t *testing.T) { checkDesignFigures(t, corpusDesigns(t)) })
}

func checkDesignFigures(t *testing.T, designs map[string]*lang.Design) {
	t.Helper()
	checked := 0
	for name, f := range eachFinding(t, designs) {
		for _, text := range []string{f.Message, f.Detail} {
			checked++
			for _, b := range checkFigures(text) {
				t.Errorf("%s: %s (%s): %s", name, f.Rule, f.Subject, b)
			}
		}
	}
	if checked == 0 {
		t.Error("no finding checked")
	}
}

// eachFinding yields every finding the suite reports on each design (the
// members of a group one by one), with the design's name, in name order.
func eachFinding(t *testing.T, designs map[string]*lang.Design) iter.Seq2[string, *analyze.Finding] {
	t.Helper()
	names := slices.Sorted(maps.Keys(designs))
	return func(yield func(string, *analyze.Finding) bool) {
		for _, name := range names {
			rep, err := analyze.Run(designs[name], rules.All, nil)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			for _, f := range analyze.Ungroup(rep.Findings) {
				if !yield(name, &f) {
					return
				}
			}
		}
	}
}
