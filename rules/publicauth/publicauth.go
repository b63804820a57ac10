// Package publicauth is the rule that finds public entries without
// authentication: a gateway or service the internet reaches through CDNs and
// load balancers only (or with public = true) whose auth is not stated or is
// none.
package publicauth

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/rules/internal/exposure"
)

//go:embed doc.md
var doc string

// Analyzer is the public-auth rule.
var Analyzer = &analyze.Analyzer{
	ID:       "public-auth",
	Summary:  "a gateway or service the internet reaches that states no authentication (auth not set: warning; auth = \"none\": info)",
	Problem:  analyze.Noun{One: "public entry without auth", Many: "public entries without auth"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	e := exposure.Compute(pass.Design)
	for _, c := range e.Entries() {
		if c.Auth != "" && c.Auth != "none" {
			continue
		}
		what, severity := "states no auth", analyze.SeverityNone
		if c.Auth == "none" {
			// Anonymous on purpose: the design says so; lint reminds.
			what, severity = "has auth = \"none\"", analyze.Info
		}
		pass.Report(analyze.Finding{
			Severity: severity,
			Subject:  c.Addr,
			Range:    c.Range("auth"),
			Message:  fmt.Sprintf("%s is a public entry (%s) and %s: anyone on the internet can call it", c.Addr, e.EntryPath(c), what),
			Detail: "The first gateway or service behind the internet is where a request's caller must be established: set auth to how callers authenticate (oauth2, oidc or jwt for users, api_key or mtls for partners' servers). " +
				"An endpoint that is anonymous on purpose (a public catalogue, a sign-up form) keeps auth = \"none\" with a suppression comment that says why.",
			Key:  "no auth",
			Data: map[string]any{"auth": c.Auth, "path": e.EntryPath(c)},
		})
	}
	return nil
}
