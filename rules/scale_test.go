package rules_test

import (
	"encoding/json"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/rules"
)

// A finding's size does not grow with the design, and the findings of a
// design of independent groups grow with the number of groups, not its
// square: every rule of the suite on 30 and 300 groups (designgen.Groups).
// Lists in messages, related locations and data are cut; lint's JSON
// carries the full lists once, in its component and flow sections.
func TestFindingsScaleLinearly(t *testing.T) {
	type size struct{ largest, total, count int }
	measure := func(groups int) (size, string) {
		d, diags := lang.LoadFiles(map[string][]byte{"groups.arch.hcl": designgen.Groups(groups)}, lang.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		rep, err := analyze.Run(d, rules.All, nil)
		if err != nil {
			t.Fatal(err)
		}
		var s size
		var largest string
		for _, f := range rep.Findings {
			// A grouped finding carries its members: they count too.
			var grouped []any
			for _, g := range f.Grouped {
				grouped = append(grouped, map[string]any{"message": g.Message, "detail": g.Detail, "related": g.Related,
					"data": analyze.FiniteJSON(g.Data)})
			}
			b, err := json.Marshal(map[string]any{"message": f.Message, "detail": f.Detail, "related": f.Related,
				"data": analyze.FiniteJSON(f.Data), "grouped": grouped})
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > s.largest {
				s.largest, largest = len(b), f.Rule+" "+f.Subject+": "+f.Message
			}
			s.total += len(b)
			s.count++
		}
		return s, largest
	}
	small, _ := measure(30)
	large, largest := measure(300)
	t.Logf("30 groups: %d findings, %d bytes, largest %d; 300 groups: %d findings, %d bytes, largest %d",
		small.count, small.total, small.largest, large.count, large.total, large.largest)
	// Names grow by a digit or two (c14 → c149): a little slack.
	if float64(large.largest) > 1.3*float64(small.largest) {
		t.Errorf("the largest finding grows from %d to %d bytes for 10× the groups: %s", small.largest, large.largest, largest)
	}
	if float64(large.total) > 11*float64(small.total) {
		t.Errorf("findings grow from %d to %d bytes for 10× the groups (at most 11×)", small.total, large.total)
	}
}

// The generated groups are written as a careful team writes them (TLS at
// the edge, auth and a rate limit on the entry, an outbox for the order
// flow, a trace collector): the only rules that report on them are those of
// the capacity shortfall designgen.Groups puts in every third group, and
// flow-coverage, once, for the queues and workers that no flow crosses.
func TestGroupsFindings(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"groups.arch.hcl": designgen.Groups(30)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	rep, err := analyze.Run(d, rules.All, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"capacity": true, "zone-failure-capacity": true, "spof": true, "availability-slo": true, "flow-coverage": true}
	got := map[string]int{}
	for _, f := range analyze.Ungroup(rep.Findings) {
		got[f.Rule]++
		if !want[f.Rule] {
			t.Errorf("unexpected finding of %s on %s: %s", f.Rule, f.Subject, f.Message)
		}
	}
	if got["flow-coverage"] != 1 || got["zone-failure-capacity"] != 10 {
		t.Errorf("findings by rule %v, want one of flow-coverage and one of zone-failure-capacity per short group (10)", got)
	}
}
