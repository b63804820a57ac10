package analyze

import (
	"fmt"
	"math"
	"slices"

	"github.com/archform/archform/lang"
)

// WhatIfResult is the analysis of a design under a scenario, next to the
// nominal one.
type WhatIfResult struct {
	Scenario *WhatIf
	Applied  *Applied
	// Nominal and Under are Compute of the design and of the design under
	// the scenario.
	Nominal, Under *Results
	Tiers          []*TierFigures
	Flows          []*FlowFigures
	// BreaksFirst is the tier that reaches utilization 1 first as every
	// client's traffic grows in the scenario ("" when none has a capacity).
	BreaksFirst string
	// Findings are the scenario's own findings (set by the caller, which
	// runs the rules: see NewFindings).
	Findings []Finding
}

// TierFigures are one component's figures in the scenario and nominally.
type TierFigures struct {
	Addr      string
	Kind      lang.Kind
	Instances int // declared
	Up        int // in the scenario
	// Down: no instance left and nothing takes its traffic; Rerouted: down,
	// with its callers sent elsewhere ("→ database.orders").
	Down     bool
	Rerouted string
	Load     float64 // rps arriving
	// HasCapacity tells whether Utilization, Headroom and BreakScale mean
	// anything (capacity_rps declared).
	HasCapacity bool
	Utilization float64
	// Headroom is how many more rps the tier takes before its hottest
	// instance reaches utilization 1: load × (1/utilization − 1) (negative:
	// the excess).
	Headroom float64
	// BreakScale is the factor by which every client's traffic must grow
	// for this tier to reach utilization 1 (+Inf: never). BreakApprox is
	// set where the tier's load is not linear in the traffic (a queue's
	// consumers cap it) and the factor is interpolated between scales.
	BreakScale  float64
	BreakApprox bool
	Nominal     TierNominal
	Changed     bool
}

// TierNominal is a tier's nominal figures.
type TierNominal struct {
	Up          int
	Load        float64
	Utilization float64
	Headroom    float64
}

// FlowFigures are one flow's figures in the scenario and nominally.
type FlowFigures struct {
	Name         string
	Availability float64
	LatencyMean  float64 // ms
	LatencyP99   float64 // ms
	// Fails names why the flow cannot be served in the scenario (a tier it
	// needs is down or overloaded); its availability is then 0.
	Fails []string
	SLO   lang.SLO
	// Verdicts against the SLO: nil where the SLO sets no objective.
	AvailabilityOK, LatencyP99OK, LatencyMeanOK *bool
	Nominal                                     FlowNominal
	Changed                                     bool
}

// FlowNominal is a flow's nominal figures.
type FlowNominal struct {
	Availability, LatencyMean, LatencyP99 float64
}

// ComputeWhatIf analyses d under the scenario w.
func ComputeWhatIf(d *lang.Design, w *WhatIf) *WhatIfResult {
	a := w.Apply(d)
	r := &WhatIfResult{Scenario: w, Applied: a, Nominal: Compute(d), Under: Compute(a.Design)}
	r.tiers(d)
	r.flows()
	return r
}

func (r *WhatIfResult) tiers(d *lang.Design) {
	a := r.Applied
	first, firstScale := "", math.Inf(1)
	var nonlinear []*TierFigures
	double := r.scaled(2)
	for i, c := range a.Design.Components {
		nc := r.Nominal.Components[c.Addr]
		uc := r.Under.Components[c.Addr]
		t := &TierFigures{Addr: c.Addr, Kind: c.Kind, Instances: len(d.Components[i].Instances),
			Up: len(c.Instances), Down: a.Down[c.Addr], Rerouted: a.Rerouted[c.Addr],
			HasCapacity: c.CapacityRPS > 0, BreakScale: math.Inf(1)}
		if t.Instances == 0 && !t.Down && t.Rerouted == "" {
			t.Instances, t.Up = 1, 1 // not placed: one virtual instance
		}
		t.Nominal = TierNominal{Up: t.Instances, Load: nc.Load.Total(), Utilization: nc.Load.Utilization,
			Headroom: headroom(nc.Load.Total(), nc.Load.Utilization)}
		if t.Down || t.Rerouted != "" {
			t.Up = 0
		} else {
			t.Load, t.Utilization = uc.Load.Total(), uc.Load.Utilization
			t.Headroom = headroom(t.Load, t.Utilization)
			if t.HasCapacity && t.Utilization > 0 {
				t.BreakScale = 1 / t.Utilization
				// Traffic is linear in the clients' rates but where a
				// queue's consumers cap it (or the model is otherwise not
				// linear): there, search.
				if u2 := double.Components[c.Addr].Load.Utilization; !closeRel(u2, 2*t.Utilization, 1e-9) {
					nonlinear = append(nonlinear, t)
				}
			}
		}
		t.Changed = t.Up != t.Nominal.Up || !closeRel(t.Load, t.Nominal.Load, 1e-9) ||
			!closeRel(t.Utilization, t.Nominal.Utilization, 1e-9)
		r.Tiers = append(r.Tiers, t)
	}
	r.searchBreaks(nonlinear, double)
	for _, t := range r.Tiers {
		if t.BreakScale < firstScale {
			first, firstScale = t.Addr, t.BreakScale
		}
	}
	r.BreaksFirst = first
}

func headroom(load, u float64) float64 {
	if u <= 0 {
		return math.Inf(1)
	}
	return load * (1/u - 1)
}

func closeRel(a, b, tol float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

// scaled is Compute of the scenario's design with every client's rate
// multiplied by s.
func (r *WhatIfResult) scaled(s float64) *Results {
	d := cloneDesign(r.Applied.Design)
	for _, c := range d.Components {
		if c.Kind == lang.KindClient {
			c.RPS *= s
		}
	}
	for _, f := range d.Flows {
		f.RPS *= s
	}
	return Compute(d)
}

// breakGrid are the traffic factors at which searchBreaks evaluates the
// design (besides 1 and 2, computed already): few, so that a design of
// 1,000 components stays well under a second.
var breakGrid = []float64{0.25, 0.5, 4, 16, 64, 256, 1024}

// searchBreaks sets the break scale of tiers whose utilization is not
// linear in the traffic: the first factor of the grid at which the tier's
// utilization reaches 1, interpolated linearly from the factor before
// (exact where the load is linear between them; utilization is then
// piecewise linear in the factor, its kinks where a consumer's cap starts
// to bind). +Inf when it stays below 1 at 1024 times the traffic.
func (r *WhatIfResult) searchBreaks(tiers []*TierFigures, double *Results) {
	if len(tiers) == 0 {
		return
	}
	scales := []float64{0, 1, 2}
	at := map[float64]*Results{1: r.Under, 2: double}
	scales = append(scales, breakGrid...)
	slices.Sort(scales)
	type state struct {
		prevS, prevU float64
		done         bool
	}
	st := make([]state, len(tiers))
	for _, t := range tiers {
		t.BreakScale, t.BreakApprox = math.Inf(1), true
	}
	// Scale by scale, computing a scale only while a tier still needs it.
	for _, s := range scales[1:] {
		var res *Results
		for i, t := range tiers {
			if st[i].done {
				continue
			}
			if res == nil {
				if res = at[s]; res == nil {
					res = r.scaled(s)
				}
			}
			u := res.Components[t.Addr].Load.Utilization
			if overloaded(u) {
				t.BreakScale = st[i].prevS + (s-st[i].prevS)*(1-st[i].prevU)/(u-st[i].prevU)
				st[i].done = true
				continue
			}
			st[i].prevS, st[i].prevU = s, u
		}
	}
}

func (r *WhatIfResult) flows() {
	a := r.Applied
	d := a.Design
	for _, name := range r.Under.FlowOrder {
		uf, nf := r.Under.Flows[name], r.Nominal.Flows[name]
		f := &FlowFigures{Name: name, Availability: uf.Availability, LatencyMean: uf.LatencyMean, LatencyP99: uf.LatencyP99,
			SLO: d.System.SLO}
		if uf.Flow != nil {
			f.SLO = uf.Flow.SLO
		}
		if nf != nil {
			f.Nominal = FlowNominal{nf.Availability, nf.LatencyMean, nf.LatencyP99}
		}
		if uf.Entry != nil && a.Down[uf.Entry.Addr] {
			f.Fails = append(f.Fails, uf.Entry.Addr+" is down")
		}
		for _, h := range uf.Hops {
			if !h.Required {
				continue
			}
			c := h.Component
			u := r.Under.Components[c.Addr].Load.Utilization
			switch {
			case a.Down[c.Addr]:
				f.Fails = append(f.Fails, c.Addr+" is down")
			case a.NoWriter[c.Addr] && h.Role == lang.RolePrimary:
				f.Fails = append(f.Fails, c.Addr+" has no primary (failover is not automatic)")
			case a.Quorum[c.Addr] != "" && a.Quorum[c.Addr].Matches(uf.Op):
				f.Fails = append(f.Fails, fmt.Sprintf("%s has too few members for a %s quorum", c.Addr, a.Quorum[c.Addr]))
			case c.CapacityRPS > 0 && overloaded(u):
				f.Fails = append(f.Fails, fmt.Sprintf("%s is overloaded (utilization %.3g)", c.Addr, u))
			}
		}
		f.Fails = slices.Compact(f.Fails)
		if len(f.Fails) > 0 {
			f.Availability = 0
		}
		verdict := func(ok bool) *bool { return &ok }
		if f.SLO.Availability > 0 {
			f.AvailabilityOK = verdict(f.Availability >= f.SLO.Availability)
		}
		if f.SLO.LatencyP99 > 0 {
			f.LatencyP99OK = verdict(len(f.Fails) == 0 && f.LatencyP99 <= 1000*f.SLO.LatencyP99.Seconds())
		}
		if f.SLO.LatencyMean > 0 {
			f.LatencyMeanOK = verdict(len(f.Fails) == 0 && f.LatencyMean <= 1000*f.SLO.LatencyMean.Seconds())
		}
		f.Changed = !closeRel(f.Availability, f.Nominal.Availability, 1e-12) ||
			!closeRel(f.LatencyMean, f.Nominal.LatencyMean, 1e-9) || !closeRel(f.LatencyP99, f.Nominal.LatencyP99, 1e-9)
		r.Flows = append(r.Flows, f)
	}
}

// NewFindings returns the findings of under that nominal does not have (by
// rule, subject and MessageKey), or that are more severe there: the
// findings the scenario causes. Suppressed findings are left out.
func NewFindings(nominal, under []Finding) []Finding {
	type key struct{ rule, subject, msg string }
	seen := map[key]Severity{}
	for i := range nominal {
		f := &nominal[i]
		if f.Suppressed == nil {
			seen[key{f.Rule, f.Subject, MessageKey(f)}] = f.Severity
		}
	}
	var out []Finding
	for i := range under {
		f := &under[i]
		if f.Suppressed != nil {
			continue
		}
		if s, ok := seen[key{f.Rule, f.Subject, MessageKey(f)}]; ok && s >= f.Severity {
			continue
		}
		out = append(out, *f)
	}
	return out
}
