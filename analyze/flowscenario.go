package analyze

import (
	"math"
	"slices"
)

// ScenarioFigures are a flow's figures in one failure scenario: the same model
// as the nominal figures, with the scenario's instances lost, its loads and
// the queues they make, and what it takes down.
type ScenarioFigures struct {
	// Availability is the probability that every tier the flow needs is up,
	// over the states of the instances the scenario leaves.
	Availability float64
	// LatencyMean and LatencyP99 in milliseconds (+Inf when a queue on the
	// path is unstable, NaN when nothing the flow needs can be up).
	LatencyMean float64
	LatencyP99  float64
}

// FlowScenarios returns each flow's figures in each failure scenario that
// can change them, by flow name and scenario name: every zone and region
// lost, and each component down whose loss changes the load of a component
// on the flow's path. It is computed once, on first use (lint's JSON output
// and the SLO rules with `under` ask for it).
func (r *Results) FlowScenarios() map[string]map[string]ScenarioFigures {
	r.flowScenarios.once.Do(func() {
		r.flowScenarios.m = map[string]map[string]ScenarioFigures{}
		if r.cp != nil {
			r.flowScenarios.m = r.cp.flowScenarios()
		}
	})
	return r.flowScenarios.m
}

func (cp *computer) flowScenarios() map[string]map[string]ScenarioFigures {
	out := make(map[string]map[string]ScenarioFigures, len(cp.specs))
	for _, sp := range cp.specs {
		out[sp.name] = map[string]ScenarioFigures{}
	}
	n := len(cp.g.comps)
	for _, s := range cp.r.Failures {
		// The flows whose path the scenario reaches.
		changed := make([]bool, n)
		any := false
		for addr, l := range s.Load {
			v := cp.g.index[cp.d.Component(addr)]
			if l != cp.nominalLoad[v] {
				changed[v], any = true, true
			}
		}
		zone := s.Kind == "zone" || s.Kind == "region"
		if !any && !zone {
			continue
		}
		var fw *flowWalker
		for _, sp := range cp.specs {
			nominal := cp.r.Flows[sp.name]
			touches := false
			for _, h := range nominal.Hops {
				if changed[cp.g.index[h.Component]] {
					touches = true
					break
				}
			}
			if !touches {
				if zone {
					out[sp.name][s.Name] = ScenarioFigures{nominal.Availability, nominal.LatencyMean, nominal.LatencyP99}
				}
				continue
			}
			if fw == nil {
				fw = cp.scenarioWalker(s, changed)
			}
			fr := fw.flow(sp)
			ff := ScenarioFigures{fr.Availability, fr.LatencyMean, fr.LatencyP99}
			if fr.Availability == 0 { // nothing answers: no latency to speak of
				ff.LatencyMean, ff.LatencyP99 = math.NaN(), math.NaN()
			}
			out[sp.name][s.Name] = ff
		}
	}
	return out
}

// scenarioWalker is a flow walker in scenario s: the queues of the
// components whose load s changes are built from their loads in s (a
// component that is down answers nothing and takes no time), the others
// keep their nominal ones.
func (cp *computer) scenarioWalker(s *Scenario, changed []bool) *flowWalker {
	models := append([]*compModel(nil), cp.models...)
	down := make([]bool, len(cp.g.comps))
	for v, c := range cp.g.comps {
		if !changed[v] {
			continue
		}
		l := s.LoadOf(c.Addr)
		if l.Down {
			down[v] = true
			d := delaySojourn(0)
			models[v] = &compModel{read: d, write: d, all: d}
			continue
		}
		models[v] = cp.model(c, l)
	}
	return cp.newFlowWalker(s, models, down)
}

// FlowInScenario is a flow's figures in one failure scenario.
type FlowInScenario struct {
	Scenario *Scenario
	ScenarioFigures
}

// FlowUnder returns the flow's figures in each failure scenario of the given
// kinds ("zone", "region", "cache", "component": an slo's `under`), in the
// order the analysis builds the scenarios, leaving out the scenarios that
// leave the flow's figures as they are nominally.
func (r *Results) FlowUnder(flow string, kinds []string) []FlowInScenario {
	if len(kinds) == 0 {
		return nil
	}
	nominal := r.Flows[flow]
	figs := r.FlowScenarios()[flow]
	var out []FlowInScenario
	for _, s := range r.Failures {
		if !slices.Contains(kinds, s.Kind) {
			continue
		}
		f, ok := figs[s.Name]
		if !ok || nominal != nil && f == (ScenarioFigures{nominal.Availability, nominal.LatencyMean, nominal.LatencyP99}) {
			continue
		}
		out = append(out, FlowInScenario{s, f})
	}
	return out
}
