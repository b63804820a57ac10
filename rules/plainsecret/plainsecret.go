// Package plainsecret is the rule that finds credentials written as plain
// values in a design: in a component's env, labels, command, image or
// description. Secrets belong in `secrets` (a reference to a secret store),
// never in the design's text, which is committed, reviewed, diffed and
// copied into manifests.
package plainsecret

import (
	_ "embed"
	"fmt"
	"sort"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/internal/credential"
)

//go:embed doc.md
var doc string

// Analyzer is the plain-secret rule.
var Analyzer = &analyze.Analyzer{
	ID:       "plain-secret",
	Summary:  "a credential written as a plain value in env, labels, command, image or description (use secrets instead)",
	Problem:  analyze.Noun{One: "plain-text credential", Many: "plain-text credentials"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	for _, c := range pass.Design.Components {
		check := func(attr, where string, m credential.Match) {
			if m.Kind == credential.Interpolated {
				return // a reference to a variable, not the value
			}
			pass.Report(analyze.Finding{
				Subject: c.Addr,
				Range:   c.Range(attr),
				Message: fmt.Sprintf("%s holds a credential as a plain value in %s: %s", c.Addr, where, m.What),
				Detail: "A design is committed, reviewed, diffed and copied into manifests: a credential in it is a leaked credential. " +
					"Rotate it, then reference it from a secret store: secrets = { VAR = \"SECRET-NAME/KEY\" } for an environment variable, and $(VAR) in a command.",
				Key:  "credential in " + where,
				Data: map[string]any{"attribute": attr, "kind": string(m.Kind)},
			})
		}
		for _, k := range sortedKeys(c.Env) {
			if credential.Reference(c.Env[k]) {
				continue
			}
			if m, ok := credential.Find(k, c.Env[k]); ok {
				check("env", "env "+k, m)
			}
		}
		for _, k := range sortedKeys(c.Labels) {
			if m, ok := credential.Find(k, c.Labels[k]); ok {
				check("labels", "labels "+k, m)
			}
		}
		for _, am := range credential.FindArgs(c.Command) {
			if credential.Reference(c.Command[am.Index]) {
				continue // $(VAR): the name of a secret, filled in at run time
			}
			check("command", fmt.Sprintf("command argument %d", am.Index+1), am.Match)
		}
		if m, ok := credential.Find("", c.Image); ok {
			check("image", "image", m)
		}
		if m, ok := credential.Find("", c.Description); ok {
			check("description", "description", m)
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
