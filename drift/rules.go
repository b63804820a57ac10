package drift

import (
	"embed"
	"strings"

	"github.com/archform/archform/analyze"
)

//go:embed doc/*.md
var docs embed.FS

func doc(id string) string {
	b, err := docs.ReadFile("doc/" + id + ".md")
	if err != nil {
		panic("drift: no doc for " + id) // caught by TestRulesDocumented
	}
	return strings.TrimSpace(string(b)) + "\n"
}

// The drift-* rules. `archform drift` reports their findings; lint never
// runs them (they need the deployment files), so they have no Run.
var (
	Missing = &analyze.Analyzer{ID: "drift-missing", Problem: analyze.Noun{One: "component missing from the deployment", Many: "components missing from the deployment"}, Severity: analyze.Error, Doc: doc("drift-missing"),
		Summary: "a component of the design is not in the deployment"}
	Undeclared = &analyze.Analyzer{ID: "drift-undeclared", Problem: analyze.Noun{One: "undeclared deployed component", Many: "undeclared deployed components"}, Severity: analyze.Warning, Doc: doc("drift-undeclared"),
		Summary: "the deployment runs something the design does not have"}
	Replicas = &analyze.Analyzer{ID: "drift-replicas", Problem: analyze.Noun{One: "replica count that differs", Many: "replica counts that differ"}, Severity: analyze.Error, Doc: doc("drift-replicas"),
		Summary: "the deployment runs another number of replicas than the design"}
	Image = &analyze.Analyzer{ID: "drift-image", Problem: analyze.Noun{One: "image that differs", Many: "images that differ"}, Severity: analyze.Warning, Doc: doc("drift-image"),
		Summary: "the deployment runs another image or engine than the design"}
	Zones = &analyze.Analyzer{ID: "drift-zones", Problem: analyze.Noun{One: "zone spread not deployed", Many: "zone spreads not deployed"}, Severity: analyze.Warning, Doc: doc("drift-zones"),
		Summary: "the design spreads a component over zones and the deployment does not"}
	Resources = &analyze.Analyzer{ID: "drift-resources", Problem: analyze.Noun{One: "resource shortfall", Many: "resource shortfalls"}, Severity: analyze.Warning, Doc: doc("drift-resources"),
		Summary: "the deployment gives a component less CPU or memory than the design"}
	CallMissing = &analyze.Analyzer{ID: "drift-call-missing", Problem: analyze.Noun{One: "call missing from the deployment", Many: "calls missing from the deployment"}, Severity: analyze.Error, Doc: doc("drift-call-missing"),
		Summary: "a call of the design is blocked or not configured in the deployment"}
	CallUndeclared = &analyze.Analyzer{ID: "drift-call-undeclared", Problem: analyze.Noun{One: "undeclared deployed call", Many: "undeclared deployed calls"}, Severity: analyze.Warning, Doc: doc("drift-call-undeclared"),
		Summary: "the deployment allows or configures a call the design does not have"}
)

// Rules lists the drift-* rules.
var Rules = []*analyze.Analyzer{Missing, Undeclared, Replicas, Image, Zones, Resources, CallMissing, CallUndeclared}
