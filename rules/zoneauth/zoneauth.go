// Package zoneauth is the rule that finds service-to-service calls across
// trust zones that nothing authenticates: a gateway or service called from
// a gateway or service in another trust zone, stating no auth of mtls or a
// token (jwt, oauth2, oidc, api_key).
package zoneauth

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/exposure"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the zone-auth rule.
var Analyzer = &analyze.Analyzer{
	ID:       "zone-auth",
	Summary:  "a service called from another trust zone that authenticates its callers with neither mTLS nor a token",
	Problem:  analyze.Noun{One: "tier called across trust zones without auth", Many: "tiers called across trust zones without auth"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// Authenticates reports whether an auth value establishes the caller:
// mTLS or a token.
func Authenticates(auth string) bool {
	switch auth {
	case "mtls", "jwt", "oauth2", "oidc", "api_key":
		return true
	}
	return false
}

func app(c *lang.Component) bool {
	return c.Kind == lang.KindGateway || c.Kind == lang.KindService
}

func run(pass *analyze.Pass) error {
	d := pass.Design
	var exposed *exposure.Exposure // computed for the first admin endpoint
	for _, c := range d.Components {
		if !app(c) || Authenticates(c.Auth) {
			continue
		}
		var callers []string
		seen := map[*lang.Component]bool{}
		var first *lang.Call
		for _, in := range d.Incoming(c) {
			from := in.From
			if !app(from) || from.TrustZone == c.TrustZone || seen[from] {
				continue
			}
			seen[from] = true
			if first == nil {
				first = in
			}
			callers = append(callers, fmt.Sprintf("%s (%s)", from.Addr, from.TrustZone))
		}
		if len(callers) == 0 {
			continue
		}
		what := "states no auth"
		if c.Auth == "none" {
			what = "has auth = \"none\""
		}
		if len(callers) > 1 {
			what = ", and " + what // "by a (dmz) and b (dmz), and states no auth"
		} else {
			what = " and " + what
		}
		// An admin endpoint that the internet reaches through the tier
		// that calls it across the boundary is public-admin's finding
		// too, with one fix: that tier's call to it goes.
		cause := ""
		if c.Role.OffFlow() {
			if exposed == nil {
				exposed = exposure.Compute(d)
			}
			if exposed.AdminReached(c) {
				cause = analyze.Cause("admin-reached", c.Addr)
			}
		}
		pass.Report(analyze.Finding{
			Subject: c.Addr,
			Cause:   cause,
			Range:   c.Range("auth"),
			Message: fmt.Sprintf("%s (trust zone %s) is called from another trust zone by %s%s: neither mTLS nor a token establishes who calls", c.Addr, c.TrustZone, formula.List(callers), what),
			Detail: "A trust-zone boundary is where a compromised component on the less trusted side must be stopped: the callee has to know which service calls it, and on whose behalf. " +
				"Set auth = \"mtls\" (a service mesh or the services' own certificates), or a token the caller forwards or mints (jwt, oauth2, oidc, api_key).",
			Related: []analyze.Related{{Message: "the call from " + first.From.Addr, Range: first.DeclRange}},
			Key:     "no auth across zones",
			Data:    map[string]any{"callers": callers, "trust_zone": string(c.TrustZone), "auth": c.Auth},
		})
	}
	return nil
}
