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
	// The flows through each component (indices in cp.specs): a scenario
	// follows only the flows through what it changes, so that the work
	// grows with what each scenario touches, not with the scenarios times
	// the design (a design of 1,000 groups has 1,000 cache scenarios, each
	// changing one group).
	through := make([][]int, n)
	for i, sp := range cp.specs {
		for _, h := range cp.r.Flows[sp.name].AllHops() {
			v := cp.g.index[h.Component]
			if l := through[v]; len(l) == 0 || l[len(l)-1] != i {
				through[v] = append(l, i)
			}
		}
	}
	// One walker and one set of models for every scenario: each scenario
	// sets the models of the components it changes and puts them back
	// after (the walker's buffers are sized by the design; allocating
	// them per scenario made the scenarios' cost quadratic).
	changed := make([]bool, n)
	touched := make([]bool, len(cp.specs))
	models := slices.Clone(cp.models)
	down := make([]bool, n)
	fw := cp.newFlowWalker(cp.r.Nominal, models, down)
	var changedList, touchedList []int
	for _, s := range cp.r.Failures {
		changedList, touchedList = changedList[:0], touchedList[:0]
		for addr, l := range s.Load {
			v := cp.g.index[cp.d.Component(addr)]
			if l != cp.nominalLoad[v] && !changed[v] {
				changed[v] = true
				changedList = append(changedList, v)
			}
		}
		for _, v := range changedList {
			for _, i := range through[v] {
				if !touched[i] {
					touched[i] = true
					touchedList = append(touchedList, i)
				}
			}
		}
		slices.Sort(touchedList)
		if s.Kind == "zone" || s.Kind == "region" {
			// Every zone and region loss is listed for every flow; the
			// flows it does not reach keep their nominal figures.
			for i, sp := range cp.specs {
				if !touched[i] {
					nominal := cp.r.Flows[sp.name]
					out[sp.name][s.Name] = ScenarioFigures{nominal.Availability, nominal.LatencyMean, nominal.LatencyP99}
				}
			}
		}
		if len(touchedList) > 0 {
			cp.enterScenario(fw, s, changedList)
			for _, i := range touchedList {
				sp := cp.specs[i]
				fr := fw.flow(sp)
				ff := ScenarioFigures{fr.Availability, fr.LatencyMean, fr.LatencyP99}
				if fr.Availability == 0 { // nothing answers: no latency to speak of
					ff.LatencyMean, ff.LatencyP99 = math.NaN(), math.NaN()
				}
				out[sp.name][s.Name] = ff
			}
			cp.leaveScenario(fw, changedList)
		}
		for _, v := range changedList {
			changed[v] = false
		}
		for _, i := range touchedList {
			touched[i] = false
		}
	}
	return out
}

// enterScenario makes fw follow flows in scenario s: the queues of the
// components whose load s changes (changed) are built from their loads in
// s (a component that is down answers nothing and takes no time), the
// others keep their nominal ones. leaveScenario puts the nominal ones back.
func (cp *computer) enterScenario(fw *flowWalker, s *Scenario, changed []int) {
	for _, v := range changed {
		c := cp.g.comps[v]
		l := s.LoadOf(c.Addr)
		if l.Down {
			fw.down[v] = true
			d := delaySojourn(0)
			fw.models[v] = &compModel{read: d, write: d, all: d}
			continue
		}
		fw.models[v] = cp.model(c, l, false)
	}
	fw.s = s
	fw.ac = cp.availIn(s)
	// Availabilities depend on the scenario; a distribution's mean and p99
	// (latency, keyed by the distribution) and retried distributions do not.
	fw.tiers = map[tierKey]float64{}
}

func (cp *computer) leaveScenario(fw *flowWalker, changed []int) {
	for _, v := range changed {
		fw.models[v], fw.down[v] = cp.models[v], false
	}
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
