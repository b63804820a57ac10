// Package publicdatastore is the rule that finds datastores the internet
// reaches: a cache, database, queue, storage or search component in the
// public or dmz trust zone, or called from one with no private tier between.
package publicdatastore

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/rules/internal/exposure"
)

//go:embed doc.md
var doc string

// Analyzer is the public-datastore rule.
var Analyzer = &analyze.Analyzer{
	ID:       "public-datastore",
	Summary:  "a datastore reachable from the public trust zone with no private tier between (the path is shown)",
	Problem:  analyze.Noun{One: "datastore on the internet", Many: "datastores on the internet"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	e := exposure.Compute(pass.Design)
	for _, c := range e.Reached() {
		if !c.Kind.Stateful() || (c.Data != nil && c.Data.Classification == "public") {
			continue
		}
		var msg, key string
		rng := c.DeclRange
		if exposure.Exposed(c) {
			msg = fmt.Sprintf("%s is a datastore in trust zone %s: the internet reaches it directly", c.Addr, c.TrustZone)
			key = "exposed zone"
			rng = exposure.ZoneRange(c, rng)
		} else {
			msg = fmt.Sprintf("%s (trust zone %s) is reachable from the internet with no private tier between: %s", c.Addr, c.TrustZone, e.Path(c))
			key = "reachable"
		}
		pass.Report(analyze.Finding{
			Subject: c.Addr,
			Range:   rng,
			Message: msg,
			Detail: "A datastore answers whoever reaches it on its port; only an application tier in the private zone, which authenticates and validates each request, should. " +
				"Put a service in the private zone between the public and dmz tiers and the store, or move the store out of the public and dmz zones. " +
				"Content meant for everyone (a CDN's origin bucket) says so with data { classification = \"public\" }.",
			Key:  key,
			Data: map[string]any{"trust_zone": string(c.TrustZone), "path": e.Path(c)},
		})
	}
	return nil
}
