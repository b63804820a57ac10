// Package multiregion is the rule that finds active-active multi-region
// stores whose conflict handling loses or diverges updates under a flow
// that needs more than eventual consistency.
package multiregion

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
)

//go:embed doc.md
var doc string

// Analyzer is the multi-region-conflict rule.
var Analyzer = &analyze.Analyzer{
	ID:       "multi-region-conflict",
	Summary:  "active-active multi-region with last-writer-wins (or no conflict handling) under a flow that needs more than eventual",
	Problem:  analyze.Noun{One: "lossy multi-region store", Many: "lossy multi-region stores"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	for _, s := range pass.Results().Traces().Shortfalls(analyze.MechMultiRegionLWW, analyze.MechMultiRegionNone) {
		f := s.Finding()
		c := s.Guarantee.Component
		conflict := c.MultiRegion.Conflict
		if conflict == "" {
			conflict = "none"
		}
		outcome := "one of two concurrent writes in different regions is silently lost"
		if conflict != "lww" {
			outcome = "two concurrent writes in different regions leave the regions diverged"
		}
		f.Message = fmt.Sprintf("flow %q needs %s, but %s is active_active with conflict = %q: %s",
			s.Flow.Name, s.Step.Need.Describe(), c.Addr, conflict, outcome)
		f.Data["conflict"] = conflict
		f.Data["regions"] = c.MultiRegion.Regions
		pass.Report(f)
	}
	return nil
}
