// Package rule declares the emit-* rules: their IDs, summaries, documentation
// and default severities. It is apart from package emit so that the archform
// binary, which lints but does not emit, knows these rules (for
// `archform rules`, `archform explain`, the configuration and suppression
// comments) without linking the Compose and Kubernetes libraries; emit gives
// them their Run functions.
package rule

import (
	_ "embed"

	"github.com/archform/archform/analyze"
)

//go:embed emit-compose.md
var composeDoc string

//go:embed emit-kubernetes.md
var kubernetesDoc string

// Compose is the emit-compose rule: what Compose cannot express. Its findings
// come from emit.Compose (see emit.ComposeRule); it has no Run of its own.
var Compose = &analyze.Analyzer{
	ID:       "emit-compose",
	Summary:  "the design asks for something the Compose output cannot express",
	Problem:  analyze.Noun{One: "setting Compose cannot express", Many: "settings Compose cannot express"},
	Doc:      composeDoc,
	Severity: analyze.Warning,
}

// Kubernetes is the emit-kubernetes rule: what Kubernetes cannot express. Its
// findings come from emit.Kubernetes (see emit.KubernetesRule).
var Kubernetes = &analyze.Analyzer{
	ID:       "emit-kubernetes",
	Summary:  "the design asks for something the Kubernetes output cannot express",
	Problem:  analyze.Noun{One: "setting Kubernetes cannot express", Many: "settings Kubernetes cannot express"},
	Doc:      kubernetesDoc,
	Severity: analyze.Warning,
}

// All lists the emit-* rules.
var All = []*analyze.Analyzer{Compose, Kubernetes}
