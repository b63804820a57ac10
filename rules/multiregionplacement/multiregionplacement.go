// Package multiregionplacement is the rule that finds a multi_region block
// whose regions the component's zones do not place it in.
package multiregionplacement

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"github.com/archform/archform/analyze"
)

//go:embed doc.md
var doc string

// Analyzer is the multi-region-placement rule.
var Analyzer = &analyze.Analyzer{
	ID:       "multi-region-placement",
	Summary:  "multi_region names regions that the component's zones place no instance in",
	Problem:  analyze.Noun{One: "multi_region not placed", Many: "multi_region blocks not placed"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	for _, c := range pass.Design.Components {
		mr := c.MultiRegion
		if mr == nil || len(mr.Regions) == 0 {
			continue
		}
		placed := map[string]bool{}
		for _, in := range c.Instances {
			if in.Region != "" {
				placed[in.Region] = true
			}
		}
		var absent []string
		for _, r := range mr.Regions {
			if !placed[r] {
				absent = append(absent, r)
			}
		}
		if len(absent) == 0 {
			continue
		}
		var have []string
		for r := range placed {
			have = append(have, r)
		}
		sort.Strings(have)
		where := "no region (it has no zones)"
		if len(have) > 0 {
			where = "only " + strings.Join(have, ", ")
		}
		pass.Report(analyze.Finding{
			Subject: c.Addr,
			Range:   mr.DeclRange,
			Message: fmt.Sprintf("%s's multi_region names regions %s, but its zones place instances in %s: no copy of the data lives in %s",
				c.Addr, strings.Join(mr.Regions, ", "), where, strings.Join(absent, ", ")),
			Detail:  "List zones of every region in multi_region.regions in the component's zones (the analysis places instances by zones), or drop the regions it does not run in.",
			Related: []analyze.Related{{Message: "zones", Range: c.Range("zones")}},
			Key:     "absent " + strings.Join(absent, ","),
			Data:    map[string]any{"regions": mr.Regions, "placed_in": have, "absent": absent},
		})
	}
	return nil
}
