// Package cachefailure is the rule that checks what a cache protects: with
// the cache down, every read goes to its origin, which must carry it.
package cachefailure

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the cache-failure-capacity rule.
var Analyzer = &analyze.Analyzer{
	ID:       "cache-failure-capacity",
	Summary:  "with a cache down, the tier behind it cannot carry the reads the cache absorbed",
	Problem:  analyze.Noun{One: "cache whose failure overloads its origin", Many: "caches whose failure overloads their origin"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	d := pass.Design
	// A cache scenario holds only the components whose load the cache's loss
	// changes: look at those, then report in source order.
	type hit struct {
		caches []*lang.Component
		utils  []formula.Util
	}
	hits := map[*lang.Component]*hit{}
	for _, s := range r.Failures {
		cache := d.Component(s.Lost)
		if s.Kind != "cache" || cache == nil {
			continue
		}
		for addr, l := range s.Load {
			c := d.Component(addr)
			if c == nil || c == cache || c.CapacityRPS <= 0 || analyze.Stable(l.Utilization) {
				continue
			}
			if n := r.Nominal.Load[addr]; n == nil || !analyze.Stable(n.Utilization) {
				continue // overloaded already: the capacity rule's finding
			}
			h := hits[c]
			if h == nil {
				h = &hit{}
				hits[c] = h
			}
			h.caches = append(h.caches, cache)
			h.utils = append(h.utils, formula.Utilization(c, l))
		}
	}
	for _, c := range d.Components {
		if h := hits[c]; h != nil {
			report(pass, c, h.caches, h.utils)
		}
	}
	return nil
}

func report(pass *analyze.Pass, c *lang.Component, caches []*lang.Component, utils []formula.Util) {
	worst := 0
	for i := range utils {
		if utils[i].Value > utils[worst].Value {
			worst = i
		}
	}
	u := utils[worst]
	who := u.Label // "database.orders replicas", or a bare address
	if who == c.Addr {
		who += "'s instances"
	}
	takes := fmt.Sprintf("%s take %s each", who, formula.Rate(u.Each))
	if !u.Even {
		takes = fmt.Sprintf("the busiest of %s takes %s", who, formula.Rate(u.Each))
	}
	msg := fmt.Sprintf("with %s down, %s: %s", caches[worst].Addr, takes, u.Against("≥", 1))
	var also []string
	var related []analyze.Related
	scenarios := make([]map[string]any, 0, len(caches))
	for i, cache := range caches {
		related = append(related, analyze.Related{Message: cache.Addr + " is declared here", Range: cache.DeclRange})
		scenarios = append(scenarios, map[string]any{"cache": cache.Addr, "utilization": utils[i].Value, "load_rps_each": utils[i].Each})
		if i != worst {
			also = append(also, fmt.Sprintf("%s down: %s", cache.Addr, formula.Ratio(utils[i].Value)))
		}
	}
	if len(also) > 0 {
		msg += " (also " + strings.Join(also, ", ") + ")"
	}
	pass.Report(analyze.Finding{
		Message: msg,
		Detail: fmt.Sprintf("A cache that fails sends every read it absorbed to %s: "+
			"give %s the capacity to carry them (replicas or capacity_rps), or give the cache replicas in different zones "+
			"so that it does not go down as a whole, and shed load while it warms up.", c.Addr, c.Addr),
		Subject: c.Addr,
		Key:     "cache down",
		Cause:   analyze.Cause("cache-down", caches[worst].Addr),
		Range:   c.Range("capacity_rps"),
		Related: related,
		Data: map[string]any{
			"cache":         caches[worst].Addr,
			"load_rps_each": u.Each,
			"capacity_rps":  c.CapacityRPS,
			"utilization":   u.Value,
			"scenarios":     scenarios,
		},
	})
}
