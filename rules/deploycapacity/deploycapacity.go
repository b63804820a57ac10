// Package deploycapacity is the rule that checks a rolling update against
// the load: while it runs, the tier serves on its instances less
// max_unavailable, which must carry the load with everything up, and
// should with a zone or region lost.
package deploycapacity

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the deploy-capacity rule.
var Analyzer = &analyze.Analyzer{
	ID:       "deploy-capacity",
	Summary:  "a rolling update whose max_unavailable leaves fewer instances than the load needs: the deployment is an outage (error) or runs the tier above max_utilization (warning), worse with a zone lost",
	Problem:  analyze.Noun{One: "rolling update short of capacity", Many: "rolling updates short of capacity"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

// during is the tier in one state of the world, less the instances the
// update takes down.
type during struct {
	scenario string  // "" for everything up, else the scenario's name
	load     float64 // rps
	up       int     // instances up before the update takes any
	left     int     // up − max_unavailable
	util     float64 // load ÷ (left × capacity); +Inf when left ≤ 0
	need     int     // ⌊load ÷ capacity⌋ + 1
}

func (d during) formula(c *lang.Component, op string, bound float64) string {
	mu := c.Deploy.MaxUnavailable
	if d.left <= 0 {
		return fmt.Sprintf("%d − %d = %d instances left: none serves %s", d.up, mu, max(d.left, 0), formula.Rate(d.load))
	}
	v, b := formula.Apart(d.util, op, bound, formula.Ratio)
	return fmt.Sprintf("utilization = %s / ((%d − %d) × %s) = %s %s %s",
		formula.Rate(d.load), d.up, mu, formula.Rate(c.CapacityRPS), v, op, b)
}

func measure(c *lang.Component, scenario string, l *analyze.Load) during {
	d := during{scenario: scenario, load: l.Total(), up: l.Up, left: l.Up - c.Deploy.MaxUnavailable}
	d.need = analyze.KStable(d.load, c.CapacityRPS)
	d.util = d.load / (float64(max(d.left, 0)) * c.CapacityRPS)
	return d
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	for _, c := range pass.Design.Components {
		dp := c.Deploy
		if dp == nil || dp.Strategy != "rolling" || dp.MaxUnavailable == 0 || c.CapacityRPS <= 0 || c.Kind == lang.KindDatabase {
			continue
		}
		l := r.Nominal.LoadOf(c.Addr)
		if l.Total() <= 0 || l.Up == 0 {
			continue
		}
		if !analyze.Stable(l.Utilization) {
			continue // overloaded already: the capacity rule's finding
		}
		nominal := measure(c, "", l)
		// The worst zone or region lost, during the update.
		var worst *during
		for _, s := range r.Failures {
			if s.Kind != "zone" && s.Kind != "region" {
				continue
			}
			ls, ok := s.Load[c.Addr]
			if !ok || ls.Down || ls.Up == 0 || ls.Up == l.Up {
				continue
			}
			d := measure(c, s.Name, ls)
			if worst == nil || d.util > worst.util {
				worst = &d
			}
		}
		report(pass, c, nominal, worst)
	}
	return nil
}

func report(pass *analyze.Pass, c *lang.Component, nominal during, zone *during) {
	dp := c.Deploy
	head := fmt.Sprintf("a rolling update of %s with max_unavailable = %d keeps %d of %d instances", c.Addr, dp.MaxUnavailable, max(nominal.left, 0), nominal.up)
	var msg, key string
	sev := analyze.Error
	zoneOver := zone != nil && zone.util >= 1-1e-9
	switch {
	case nominal.util >= 1-1e-9:
		msg = fmt.Sprintf("%s: %s: the deployment itself is an outage (the load needs %d)", head, nominal.formula(c, "≥", 1), nominal.need)
		key = "rolling update overloads"
	case nominal.util > c.MaxUtilization:
		sev = analyze.Warning
		msg = fmt.Sprintf("%s: %s: every deployment runs the tier degraded", head, nominal.formula(c, ">", c.MaxUtilization))
		key = "rolling update above max_utilization"
	case zoneOver:
		sev = analyze.Warning
		msg = fmt.Sprintf("%s, enough with everything up (utilization %s), but a deployment during a zone loss is an outage", head, formula.Ratio(nominal.util))
		key = "rolling update during a zone loss"
	default:
		return
	}
	data := map[string]any{"max_unavailable": dp.MaxUnavailable, "instances": nominal.up, "left": max(nominal.left, 0),
		"load_rps": nominal.load, "capacity_rps": c.CapacityRPS, "utilization": nominal.util, "needed": nominal.need}
	if zoneOver {
		msg += fmt.Sprintf("; with %s, %s", zone.scenario, zone.formula(c, "≥", 1))
		data["zone_scenario"] = zone.scenario
		data["zone_utilization"] = zone.util
	}
	pass.Report(analyze.Finding{
		Severity: sev,
		Message:  msg,
		Detail:   detail(c, nominal, zone),
		Subject:  c.Addr,
		Key:      key,
		Range:    c.Range("deploy.max_unavailable"),
		Related:  []analyze.Related{{Message: "capacity of one instance", Range: c.Range("capacity_rps")}},
		Data:     data,
	})
}

// detail says what keeps the tier standing during an update: the largest
// max_unavailable that does, or surge instead.
func detail(c *lang.Component, nominal during, zone *during) string {
	s := "A rolling update stops max_unavailable old instances before their replacements are ready, so for the whole update the tier serves on the rest. "
	if c.Autoscale != nil {
		s += "An autoscaler does not help: Kubernetes counts max_unavailable against the desired replicas, whatever the load. "
	}
	// The largest max_unavailable that keeps the tier below max_utilization
	// (and below 1 with the worst zone lost).
	ok := -1
	for mu := c.Deploy.MaxUnavailable - 1; mu >= 0; mu-- {
		left := nominal.up - mu
		if left <= 0 || nominal.load/(float64(left)*c.CapacityRPS) > c.MaxUtilization {
			continue
		}
		if zone != nil && (zone.up-mu <= 0 || zone.load/(float64(zone.up-mu)*c.CapacityRPS) >= 1-1e-9) {
			continue
		}
		ok = mu
		break
	}
	if ok > 0 {
		return s + fmt.Sprintf("Lower max_unavailable to %d, or set it to 0 with max_surge ≥ 1 (new instances start before old ones stop), or add replicas.", ok)
	}
	return s + "Set max_unavailable = 0 with max_surge ≥ 1 (new instances start before old ones stop), or add replicas."
}
