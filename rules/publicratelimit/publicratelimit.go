// Package publicratelimit is the rule that finds public entries with no rate
// limit on some way in: a gateway or service the internet reaches through
// CDNs and load balancers, none of which (nor the entry itself) declares a
// rate_limit.
package publicratelimit

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/rules/internal/exposure"
)

//go:embed doc.md
var doc string

// Analyzer is the public-rate-limit rule.
var Analyzer = &analyze.Analyzer{
	ID:       "public-rate-limit",
	Summary:  "a public entry that some way in from the internet reaches through no rate_limit",
	Problem:  analyze.Noun{One: "public entry without rate limit", Many: "public entries without rate limit"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	e := exposure.Compute(pass.Design)
	results := pass.Results()
	for _, c := range e.Entries() {
		path, ok := e.Unlimited(c)
		if !ok {
			continue
		}
		load := results.Nominal.LoadOf(c.Addr).Total()
		pass.Report(analyze.Finding{
			Subject: c.Addr,
			Range:   c.DeclRange,
			Message: fmt.Sprintf("%s is a public entry with no rate limit on the way in (%s): nothing bounds what one caller can send", c.Addr, path),
			Detail: "Without a limit, one client (a bug, a scraper, a credential-stuffing run, a flood) takes capacity every other client needs, and the tiers behind the entry saturate before anything refuses. " +
				"Add a rate_limit { rate = ..., per = \"client\" } to the entry, or to the gateway or load balancer in front of it; rule rate-limit then checks the limit against what the tiers behind it carry.",
			Key:  "no rate limit",
			Data: map[string]any{"path": path, "load_rps": load},
		})
	}
	return nil
}
