package format

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/rules"
)

// The JSON report of a design of independent groups (designgen.Groups)
// grows with the number of groups, not faster, and none of its lines (a
// component, a flow, a finding with its grouped findings) grows with the
// design: every rule of the suite on 30 and 300 groups. A group is the same
// in both designs (its figures depend on its index only), so each line of
// the smaller report has a line of the same key (component, flow, finding's
// fingerprint) in the larger one, of about its size. BenchmarkScale
// (cmd/archform) measures the report of 1,000 groups against the goal.
func TestJSONScalesLinearly(t *testing.T) {
	type report struct {
		total, largest int
		line           string
		lines          map[string]string // by key
	}
	measure := func(groups int) report {
		d, diags := lang.LoadFiles(map[string][]byte{"groups.arch.hcl": designgen.Groups(groups)}, lang.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		out := lintJSON(t, d)
		r := report{total: len(out), lines: map[string]string{}}
		for line := range strings.Lines(out) {
			if len(line) > r.largest {
				r.largest, r.line = len(line), line
			}
			if m := lineKey.FindStringSubmatch(line); m != nil {
				r.lines[m[1]+m[2]] = line
			}
		}
		return r
	}
	small, large := measure(30), measure(300)
	t.Logf("30 groups: %d bytes, largest line %d; 300 groups: %d bytes (%.0f per group), largest line %d",
		small.total, small.largest, large.total, float64(large.total)/300, large.largest)
	if len(small.lines) < 300 {
		t.Fatalf("%d keyed lines in the report of 30 groups, want a component, flow or finding per line", len(small.lines))
	}
	// Names grow by a digit or two (c14 → c149): a little slack.
	if float64(large.total) > 11*float64(small.total) {
		t.Errorf("the report grows from %d to %d bytes for 10× the groups (at most 11×)", small.total, large.total)
	}
	if float64(large.largest) > 1.3*float64(small.largest) {
		t.Errorf("the largest line grows from %d to %d bytes for 10× the groups:\n%.300s...", small.largest, large.largest, large.line)
	}
	for k, s := range small.lines {
		if l, ok := large.lines[k]; ok && float64(len(l)) > 1.3*float64(len(s))+64 {
			t.Errorf("%s: its line grows from %d to %d bytes for 10× the groups:\n%.300s...", k, len(s), len(l), l)
		}
	}
}

// lineKey finds a report line's key: a component's or flow's, or a
// finding's fingerprint (its keys are sorted: the finding's own comes
// before its grouped findings').
var lineKey = regexp.MustCompile(`^    (?:("[^"]+"): \{|\{.*?"fingerprint":"([^"]+)")`)

// lintJSON is the JSON report of every rule of the suite on d.
func lintJSON(t *testing.T, d *lang.Design) string {
	t.Helper()
	rep, err := analyze.Run(d, rules.All, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep, nil); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
