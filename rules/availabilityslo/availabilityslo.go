// Package availabilityslo is the rule that checks each flow's availability,
// the product of the availabilities of the tiers it needs, against its SLO.
package availabilityslo

import (
	_ "embed"
	"fmt"
	"math"
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
	Problem:  analyze.Noun{One: "flow below its availability SLO", Many: "flows below their availability SLO"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

// term names one factor of a flow's availability, a group of tiers whose
// loads interact: "0.993825 (service.api 11-of-12)", "0.9995 (database.orders
// primary)", "0.99899925 (database.orders replicas, with cache.sessions up or
// down: 2 states)".
func term(fr *analyze.FlowResult, g analyze.AvailabilityGroup) string {
	var names []string
	for _, addr := range g.Tiers {
		names = append(names, addr+roles(fr, addr))
	}
	name := strings.Join(names, ", ")
	if len(g.Tiers) == 1 && g.N > 1 {
		name += fmt.Sprintf(" %d-of-%d", g.K, g.N)
	}
	if len(g.Soft) > 0 {
		name += fmt.Sprintf(", with %s up or down: %d states", strings.Join(g.Soft, " and "), g.States)
	}
	return fmt.Sprintf("%s (%s)", formula.Availability(g.Availability), name)
}

// roles names the roles of a database the flow needs: " primary",
// " replicas", " primary and replicas" ("" for other tiers).
func roles(fr *analyze.FlowResult, addr string) string {
	var rs []string
	for _, h := range fr.AllHops() {
		if h.Component.Addr == addr && h.Required && h.Role != "" {
			rs = append(rs, strings.TrimSpace(roleSuffix(h.Role)))
		}
	}
	if len(rs) == 0 {
		return ""
	}
	return " " + strings.Join(rs, " and ")
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
		if objective > 0 {
			under(pass, fr, objective)
		}
		if objective <= 0 || fr.Availability >= objective {
			continue
		}
		var weakest *analyze.Hop
		tiers := map[string]float64{}
		for _, h := range fr.AllHops() {
			if !h.Required || h.Component.Kind == lang.KindClient || h.Availability >= 1 {
				continue
			}
			tiers[h.Component.Addr+roleSuffix(h.Role)] = h.Availability
			if weakest == nil || h.Availability < weakest.Availability {
				weakest = h
			}
		}
		var groups []analyze.AvailabilityGroup
		for _, g := range fr.Groups {
			if g.Availability < 1 {
				groups = append(groups, g)
			}
		}
		msg := fmt.Sprintf("flow %q: availability = %s = %s < %s", name, product(fr, groups),
			formula.Availability(fr.Availability), formula.Availability(objective))
		if len(groups) == 0 {
			msg = fmt.Sprintf("flow %q: availability = %s < %s", name, formula.Availability(fr.Availability), formula.Availability(objective))
		}
		if dr := drain(fr.Delivery); dr != "" {
			p := product(fr, groups)
			if len(groups) == 0 {
				p = formula.Availability(1)
			}
			msg = fmt.Sprintf("flow %q: availability = %s − %s = %s < %s", name, p, dr,
				formula.Availability(fr.Availability), formula.Availability(objective))
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

// maxTerms is how many factors a message names one by one; data lists the
// tiers all.
const maxTerms = 6

// product writes a flow's availability as the product of its independent
// groups, in path order: every group when they are few, else the weakest
// ones and the product of the rest as one factor ("0.999999 (12 more
// tiers)").
func product(fr *analyze.FlowResult, groups []analyze.AvailabilityGroup) string {
	show := make([]bool, len(groups))
	if len(groups) <= maxTerms {
		for i := range show {
			show[i] = true
		}
	} else {
		byA := make([]int, len(groups))
		for i := range byA {
			byA[i] = i
		}
		sort.SliceStable(byA, func(i, j int) bool { return groups[byA[i]].Availability < groups[byA[j]].Availability })
		for _, i := range byA[:maxTerms-1] {
			show[i] = true
		}
	}
	var terms []string
	rest, restN := 1.0, 0
	for i, g := range groups {
		if show[i] {
			terms = append(terms, term(fr, g))
		} else {
			rest *= g.Availability
			restN += len(g.Tiers)
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

// effective is the SLO a flow is held to: the flow's own over the system's.
func effective(d *lang.Design, fr *analyze.FlowResult) lang.SLO {
	if fr.Flow != nil {
		return fr.Flow.SLO
	}
	if d.System != nil {
		return d.System.SLO
	}
	return lang.SLO{}
}

// maxScenarios is how many scenarios a message names one by one.
const maxScenarios = 5

// under reports, in one finding, the failure scenarios of the objective's
// `under` in which the flow's availability is below it: the worst first.
func under(pass *analyze.Pass, fr *analyze.FlowResult, objective float64) {
	r, d := pass.Results(), pass.Design
	obj := effective(d, fr)
	var below []analyze.FlowInScenario
	for _, f := range r.FlowUnder(fr.Name, obj.Under) {
		if f.Availability < objective {
			below = append(below, f)
		}
	}
	if len(below) == 0 {
		return
	}
	sort.SliceStable(below, func(i, j int) bool { return below[i].Availability < below[j].Availability })
	worst := below[0]
	msg := fmt.Sprintf("flow %q with %s: availability = %s < %s", fr.Name, worst.Scenario.Name,
		formula.Availability(worst.Availability), formula.Availability(objective))
	var also []string
	figures := map[string]float64{}
	for i, f := range below {
		figures[f.Scenario.Name] = f.Availability
		if i == 0 {
			continue
		}
		if i <= maxScenarios {
			also = append(also, fmt.Sprintf("%s: %s", f.Scenario.Name, formula.Availability(f.Availability)))
		}
	}
	if n := len(below) - 1 - len(also); n > 0 {
		also = append(also, fmt.Sprintf("and %d more", n))
	}
	if len(also) > 0 {
		msg += "; also below with " + strings.Join(also, ", ")
	}
	var related []analyze.Related
	if rng, ok := obj.Ranges["under"]; ok {
		related = append(related, analyze.Related{Message: "the scenarios the objective must hold under", Range: rng})
	}
	if rng, what := sloRange(d, fr); what != "" {
		related = append(related, analyze.Related{Message: what, Range: rng})
	}
	pass.Report(analyze.Finding{
		Message: msg,
		Detail: fmt.Sprintf("The objective must hold under %s failures too. With %s, the flow is expected down %s per 30 days (the objective allows %s): "+
			"what is left must carry the load with utilization below 1. Give the tiers it needs instances in more zones (or regions), or the headroom to lose one.",
			formula.List(obj.Under), worst.Scenario.Name, perMonth(1-worst.Availability), perMonth(1-objective)),
		Subject: fr.Subject(),
		Key:     "availability under failure",
		Range:   fr.DeclRange(),
		Related: related,
		Data: map[string]any{
			"flow":      fr.Name,
			"slo":       objective,
			"under":     obj.Under,
			"scenarios": figures,
		},
	})
}

// drain writes the share of time a delivery's consumers spend draining a
// backlog after an outage, one term per consume block: "0.00000326
// (service.delivery's backlog drain: (1 − 0.999997) × 0.521 / (1 − 0.521))"
// ("" when there is none).
func drain(d *analyze.Delivery) string {
	if d == nil {
		return ""
	}
	var terms []string
	for _, c := range d.Consumers {
		if c.Drain == 0 {
			continue
		}
		if math.IsInf(c.Drain, 1) {
			terms = append(terms, fmt.Sprintf("everything (%s never catches up: utilization %s ≥ 1)", c.Consumer.Addr, formula.Num(c.Utilization)))
			continue
		}
		terms = append(terms, fmt.Sprintf("%s (%s's backlog drain: (1 − %s) × %s / (1 − %s))", formula.Num(c.Drain), c.Consumer.Addr,
			formula.Availability(c.Up), formula.Num(c.Utilization), formula.Num(c.Utilization)))
	}
	return strings.Join(terms, " − ")
}
