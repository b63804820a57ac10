// Package availabilityslo is the rule that checks each flow's availability,
// the product of the availabilities of the tiers it needs, against its SLO.
package availabilityslo

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
	"github.com/hashicorp/hcl/v2"
)

//go:embed doc.md
var doc string

// Analyzer is the availability-slo rule.
var Analyzer = &analyze.Analyzer{
	ID:       "availability-slo",
	Summary:  "a flow's availability, the product over the tiers it needs, is below its SLO",
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

// term names one factor of a flow's availability: "0.999794 (service.api
// 10-of-12)".
func term(r *analyze.Results, h *analyze.Hop) string {
	name := h.Component.Addr
	switch h.Role {
	case lang.RolePrimary:
		name += " primary"
	case lang.RoleReplica:
		name += " replicas"
	}
	if cr := r.Components[h.Component.Addr]; cr != nil && h.Role == "" && cr.N > 1 {
		name += fmt.Sprintf(" %d-of-%d", cr.K, cr.N)
	}
	return fmt.Sprintf("%s (%s)", formula.Availability(h.Availability), name)
}

// sloRange is where the objective a flow is held to is written: the flow's
// own slo.availability, else the system's.
func sloRange(d *lang.Design, fr *analyze.FlowResult) (hcl.Range, string) {
	var sys hcl.Range
	sysOK := false
	if d.System != nil {
		sys, sysOK = d.System.SLO.Ranges["availability"]
	}
	if f := fr.Flow; f != nil {
		if r, ok := f.SLO.Ranges["availability"]; ok && (!sysOK || r != sys) {
			return r, "the flow's objective"
		}
	}
	if sysOK {
		return sys, "the system's objective"
	}
	return hcl.Range{}, ""
}

// slo is the availability objective a flow is held to (0: none).
func slo(d *lang.Design, fr *analyze.FlowResult) float64 {
	if fr.Flow != nil {
		return fr.Flow.SLO.Availability
	}
	if d.System != nil {
		return d.System.SLO.Availability
	}
	return 0
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil {
		return nil
	}
	d := pass.Design
	for _, name := range r.FlowOrder {
		fr := r.Flows[name]
		if fr == nil {
			continue
		}
		objective := slo(d, fr)
		if objective <= 0 || fr.Availability >= objective {
			continue
		}
		var needed []*analyze.Hop
		var weakest *analyze.Hop
		tiers := map[string]float64{}
		for _, h := range fr.Hops {
			if !h.Required || h.Component.Kind == lang.KindClient || h.Availability >= 1 {
				continue
			}
			needed = append(needed, h)
			tiers[h.Component.Addr+roleSuffix(h.Role)] = h.Availability
			if weakest == nil || h.Availability < weakest.Availability {
				weakest = h
			}
		}
		msg := fmt.Sprintf("flow %q: availability = %s = %s < %s", name, product(r, needed),
			formula.Availability(fr.Availability), formula.Availability(objective))
		if len(needed) == 0 {
			msg = fmt.Sprintf("flow %q: availability = %s < %s", name, formula.Availability(fr.Availability), formula.Availability(objective))
		}
		var related []analyze.Related
		if rng, what := sloRange(d, fr); what != "" {
			related = append(related, analyze.Related{Message: what, Range: rng})
		}
		detail := fmt.Sprintf("Downtime allowed by the objective: %s per 30 days; expected: %s.",
			perMonth(1-objective), perMonth(1-fr.Availability))
		if weakest != nil {
			related = append(related, analyze.Related{Message: "the weakest tier, " + weakest.Component.Addr, Range: weakest.Component.DeclRange})
			detail += fmt.Sprintf(" The weakest tier is %s at %s: give it more instances (in different zones), automatic failover, or a higher per-instance availability; or relax the objective.",
				weakest.Component.Addr+roleSuffix(weakest.Role), formula.Availability(weakest.Availability))
		}
		pass.Report(analyze.Finding{
			Message: msg,
			Detail:  detail,
			Subject: fr.Subject(),
			Key:     "availability",
			Range:   fr.DeclRange(),
			Related: related,
			Data: map[string]any{
				"flow":         name,
				"availability": fr.Availability,
				"slo":          objective,
				"tiers":        tiers,
			},
		})
	}
	return nil
}

// maxTerms is how many tiers a message names one by one; data lists them all.
const maxTerms = 6

// product writes the availability of the tiers a flow needs as a product, in
// path order: every tier when they are few, else the weakest ones and the
// product of the rest as one factor ("0.999999 (12 more tiers)").
func product(r *analyze.Results, hops []*analyze.Hop) string {
	show := make(map[*analyze.Hop]bool, len(hops))
	if len(hops) <= maxTerms {
		for _, h := range hops {
			show[h] = true
		}
	} else {
		byA := append([]*analyze.Hop(nil), hops...)
		sort.SliceStable(byA, func(i, j int) bool { return byA[i].Availability < byA[j].Availability })
		for _, h := range byA[:maxTerms-1] {
			show[h] = true
		}
	}
	var terms []string
	rest, restN := 1.0, 0
	for _, h := range hops {
		if show[h] {
			terms = append(terms, term(r, h))
		} else {
			rest *= h.Availability
			restN++
		}
	}
	if restN > 0 {
		terms = append(terms, fmt.Sprintf("%s (%d more tiers)", formula.Availability(rest), restN))
	}
	return strings.Join(terms, " × ")
}

func roleSuffix(r lang.Role) string {
	switch r {
	case lang.RolePrimary:
		return " primary"
	case lang.RoleReplica:
		return " replicas"
	}
	return ""
}

// perMonth writes an unavailability as downtime per 30 days: "21.6 min".
func perMonth(u float64) string {
	minutes := u * 30 * 24 * 60
	if minutes >= 120 {
		return strconv.FormatFloat(minutes/60, 'f', 1, 64) + " h"
	}
	return strconv.FormatFloat(minutes, 'f', 1, 64) + " min"
}
