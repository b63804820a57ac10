package rules_test

import (
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/rules"
)

// Every rule names its problem, singular and plural, for the line per
// problem class that opens lint's text report; and a cause kind's class is
// a rule of the suite.
func TestRulesNameTheirProblem(t *testing.T) {
	ids := map[string]bool{}
	for _, a := range append([]*analyze.Analyzer{analyze.SuppressionAnalyzer}, rules.All...) {
		ids[a.ID] = true
		if a.Problem.One == "" || a.Problem.Many == "" {
			t.Errorf("rule %s: Problem = %+v: give the noun for one finding and for several", a.ID, a.Problem)
		}
	}
	for _, k := range analyze.CauseKinds {
		if !ids[k.Class] {
			t.Errorf("cause kind %s: Class %q is not a rule of the suite", k.Name, k.Class)
		}
	}
}
