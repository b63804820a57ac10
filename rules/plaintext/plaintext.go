// Package plaintext is the rule that finds traffic that crosses a boundary
// without TLS: a call to or from the public trust zone (the internet), and a
// call whose callers sit in a region the callee does not run in.
package plaintext

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

//go:embed doc.md
var doc string

// Analyzer is the plaintext-traffic rule.
var Analyzer = &analyze.Analyzer{
	ID:       "plaintext-traffic",
	Summary:  "a call without TLS to or from the internet (the public trust zone) or across regions",
	Problem:  analyze.Noun{One: "call without TLS", Many: "calls without TLS"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// regions returns the regions a component's instances run in, sorted.
func regions(c *lang.Component) []string {
	var out []string
	for _, in := range c.Instances {
		if in.Region != "" && !contains(out, in.Region) {
			out = append(out, in.Region)
		}
	}
	sort.Strings(out)
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// CrossRegion returns the caller's regions in which the callee does not
// run: requests from there travel to another region.
func CrossRegion(from, to *lang.Component) []string {
	return crossRegion(regions(from), regions(to))
}

// crossRegion is CrossRegion of components that run in fr and tr.
func crossRegion(fr, tr []string) []string {
	if len(fr) == 0 || len(tr) == 0 {
		return nil
	}
	var out []string
	for _, r := range fr {
		if !contains(tr, r) {
			out = append(out, r)
		}
	}
	return out
}

func run(pass *analyze.Pass) error {
	d := pass.Design
	// Each component's regions, computed once: a tier is called from many.
	regionsOf := map[*lang.Component][]string{}
	regionsMemo := func(c *lang.Component) []string {
		rs, ok := regionsOf[c]
		if !ok {
			rs = regions(c)
			regionsOf[c] = rs
		}
		return rs
	}
	for _, c := range d.Components {
		for _, call := range c.Calls {
			to := call.To
			if to == nil || call.Encrypted() {
				continue
			}
			rng := call.Range("tls")
			switch {
			case c.TrustZone == lang.ZonePublic || to.TrustZone == lang.ZonePublic:
				pass.Report(analyze.Finding{
					Subject: c.Addr,
					Range:   rng,
					Message: fmt.Sprintf("the call %s → %s crosses the internet (trust zone %s → %s) without TLS", c.Addr, to.Addr, c.TrustZone, to.TrustZone),
					Detail:  "Anyone on the path (a Wi-Fi network, an ISP, a compromised router) reads and changes plaintext traffic: set tls = true on " + to.Addr + " (it accepts only TLS) or on the call.",
					Key:     "internet " + to.Addr,
					Data:    map[string]any{"from_zone": string(c.TrustZone), "to_zone": string(to.TrustZone)},
				})
			default:
				rs := crossRegion(regionsMemo(c), regionsMemo(to))
				if len(rs) == 0 {
					continue
				}
				pass.Report(analyze.Finding{
					Subject: c.Addr,
					Range:   rng,
					Message: "the call " + c.Addr + " → " + to.Addr + " crosses regions without TLS: " + c.Addr + " runs in " + strings.Join(rs, ", ") + ", where " + to.Addr + " does not",
					Detail:  "Traffic between regions leaves the data centre's network for links the provider or a carrier runs: set tls = true on " + to.Addr + " or on the call.",
					Key:     "regions " + to.Addr,
					Data:    map[string]any{"regions": rs},
				})
			}
		}
	}
	return nil
}
