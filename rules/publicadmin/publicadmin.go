// Package publicadmin is the rule that finds admin and telemetry endpoints
// the internet reaches: a component whose role is admin, telemetry,
// discovery or config in the public or dmz trust zone, or called from one
// with no private tier between.
package publicadmin

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/rules/internal/exposure"
)

//go:embed doc.md
var doc string

// Analyzer is the public-admin rule.
var Analyzer = &analyze.Analyzer{
	ID:       "public-admin",
	Summary:  "an admin, telemetry, discovery or config endpoint reachable from the public trust zone (the path is shown)",
	Problem:  analyze.Noun{One: "admin endpoint on the internet", Many: "admin endpoints on the internet"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	e := exposure.Compute(pass.Design)
	for _, c := range e.Reached() {
		if !e.AdminReached(c) {
			continue // a user-facing tier, or a bought service's endpoint: on the internet by nature, the vendor guards it
		}
		var msg, key string
		rng := c.Range("role")
		if exposure.Exposed(c) {
			msg = fmt.Sprintf("%s (role %s) is in trust zone %s: the internet reaches it directly", c.Addr, c.Role, c.TrustZone)
			key = "exposed zone"
			rng = exposure.ZoneRange(c, rng)
		} else {
			msg = fmt.Sprintf("%s (role %s) is reachable from the internet with no private tier between: %s", c.Addr, c.Role, e.Path(c))
			key = "reachable"
		}
		pass.Report(analyze.Finding{
			Subject: c.Addr,
			Range:   rng,
			Message: msg,
			Detail: "Admin consoles, metrics and tracing endpoints, service registries and configuration servers answer operators and other services, not users: they expose internals and often have weak or no authentication. " +
				"Keep them in the private zone, called by private services only, and reach them from a VPN or bastion; remove the public or dmz component's call to them.",
			Key:   key,
			Cause: analyze.Cause("admin-reached", c.Addr),
			Data:  map[string]any{"role": string(c.Role), "trust_zone": string(c.TrustZone), "path": e.Path(c)},
		})
	}
	return nil
}
