// Package cacheinvalidation is the rule that finds cache-aside caches whose
// explicit invalidation races with concurrent reads under a flow that needs
// to read its own writes or more.
package cacheinvalidation

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

//go:embed doc.md
var doc string

// Analyzer is the cache-invalidation rule.
var Analyzer = &analyze.Analyzer{
	ID:       "cache-invalidation",
	Summary:  "a cache-aside cache invalidated by delete-on-write (no lease or version) under a flow that needs read-your-writes or more",
	Problem:  analyze.Noun{One: "racy cache invalidation", Many: "racy cache invalidations"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	for _, s := range pass.Results().Traces().Shortfalls(analyze.MechCacheExplicit) {
		f := s.Finding()
		c := s.Guarantee.Component
		f.Message = fmt.Sprintf("flow %q needs %s, but %s invalidates by deleting on write, which races with reads that miss: a stale value can come back for up to %s",
			s.Flow.Name, s.Step.Need.Describe(), c.Addr, staleFor(s.Guarantee))
		pass.Report(f)
	}
	return nil
}

func staleFor(g *analyze.Guarantee) string {
	if g.Staleness > 0 {
		return "its ttl of " + lang.FormatDuration(g.Staleness)
	}
	return "ever (no ttl)"
}
