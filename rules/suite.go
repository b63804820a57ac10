// Package rules holds archform's lint rules, one package per rule, and the
// slice that lists the whole suite.
package rules

import "github.com/archform/archform/analyze"

// All lists every rule of the suite, in the order `archform rules` prints them.
// Add a rule here when its package lands.
var All = []*analyze.Analyzer{}

// Lookup returns the rule with that ID, or nil.
func Lookup(id string) *analyze.Analyzer {
	for _, a := range All {
		if a.ID == id {
			return a
		}
	}
	return nil
}
