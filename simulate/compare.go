package simulate

import (
	"fmt"
	"math"

	"github.com/archform/archform/analyze"
)

// Row is one figure measured and computed: the simulation's interval next
// to the analysis's value.
type Row struct {
	// Subject is a component's address, a flow's name ("flow.browse") or a
	// call ("service.web -> service.mcrouter").
	Subject string
	// Figure is "utilization", "instance N utilization", "load_rps",
	// "latency_mean", "latency_p99", "timeout_loss", "success" or
	// "tries_per_call".
	Figure   string
	Analytic float64 // NaN where the analysis has no such figure
	Sim      CI
	// Tolerance widens the interval (a share of the analytic value) where
	// the analysis is known to approximate; Why says how.
	Tolerance float64
	Why       string
	// Measured is false where the run is too short for the figure: fewer
	// than minSamples visits or requests per replication, or a service
	// time above a hundredth of the window. Such a row always agrees.
	Measured bool
	Agrees   bool
}

// minSamples is the fewest visits (or requests) per replication for a
// figure to be compared.
const minSamples = 2000

// Tolerances where the analysis approximates what the simulation does
// (docs/whatif.md, "When the two disagree").
const (
	// tolSplit: behind round robin each instance is modelled as its own
	// M/M/c fed a Poisson share of the traffic; cyclic round robin feeds it
	// a smoother stream, so the analysis overstates the wait. The queueing
	// part of a latency moves by up to this share of the flow's latency.
	tolSplit = 0.05
	// tolJSQ: least_connections is modelled as one shared queue (M/M/c);
	// joining the shortest of per-instance queues waits a little longer.
	tolJSQ = 0.02
	// tolStatic: the simulation's own resolution (histogram buckets and
	// the interval of a figure with almost no variance).
	tolStatic = 0.002
)

// Compare pairs the simulation's figures with the analysis's for the same
// scenario: utilization of every instance of every queued tier, each
// tier's load, each flow's latency mean and p99, timeout loss and success
// ratio.
func Compare(rep *Report, r *analyze.WhatIfResult) []Row { return compare(rep, r, false) }

func compare(rep *Report, r *analyze.WhatIfResult, wide bool) []Row {
	var rows []Row
	add := func(row Row, samples float64) {
		if row.Tolerance < tolStatic {
			row.Tolerance = tolStatic
		}
		row.Measured = samples >= minSamples && row.Sim.N > 1
		if !row.Measured && row.Why == "" {
			row.Why = fmt.Sprintf("too few samples in this run (%.0f per replication): run longer", samples)
		}
		row.Agrees = !row.Measured || math.IsNaN(row.Analytic) || row.Sim.ContainsAt(row.Analytic, row.Tolerance, wide)
		if row.Measured && math.IsInf(row.Analytic, 1) && !math.IsNaN(row.Sim.Mean) {
			row.Agrees = false // the analysis says unbounded; the simulation measured a value
		}
		rows = append(rows, row)
	}
	d := r.Applied.Design
	split := map[string]string{} // tiers whose instance choice the analysis approximates
	for _, c := range d.Components {
		if c.CapacityRPS <= 0 || c.Latency <= 0 {
			continue
		}
		for _, call := range d.Incoming(c) {
			if call.From != nil && call.From.Kind == "load_balancer" {
				split[c.Addr] = call.From.Algorithm
				break
			}
		}
	}
	for _, t := range rep.Tiers {
		c := d.Component(t.Addr)
		if c == nil || r.Applied.Down[t.Addr] {
			continue
		}
		l := r.Under.Components[t.Addr].Load
		visits := t.Visits.Mean * rep.Window
		if t.Visits.N > 0 && c.Kind != "client" {
			add(Row{Subject: t.Addr, Figure: "load_rps", Analytic: l.Total(), Sim: t.Visits}, visits)
		}
		if !t.Queued || c.CapacityRPS <= 0 {
			continue
		}
		perInstance := visits / float64(max(len(t.Instances), 1))
		if c.Latency.Seconds() > rep.Window/100 {
			perInstance = 0 // not in its steady state within the window
		}
		for i, x := range t.Instances {
			a := math.NaN()
			if i < len(l.Instances) && l.Instances[i] >= 0 {
				a = l.Instances[i] / c.CapacityRPS
			}
			add(Row{Subject: t.Addr, Figure: fmt.Sprintf("instance %d utilization", i), Analytic: a, Sim: x}, perInstance)
		}
	}
	for _, f := range rep.Flows {
		var uf *analyze.FlowResult
		if r.Under != nil {
			uf = r.Under.Flows[f.Name]
		}
		if uf == nil {
			continue
		}
		tol, why := 0.0, ""
		for _, h := range uf.Hops {
			switch split[h.Component.Addr] {
			case "round_robin":
				tol, why = math.Max(tol, tolSplit), "cyclic round robin: the analysis's Poisson split overstates the wait at "+h.Component.Addr
			case "least_connections":
				if tol < tolJSQ {
					tol, why = tolJSQ, "least connections: the analysis pools "+h.Component.Addr+"'s instances into one queue"
				}
			}
		}
		subject := "flow." + f.Name
		n := float64(f.Requests) / float64(max(f.Mean.N, 1))
		mean, p99 := uf.LatencyMean, uf.LatencyP99
		if d := uf.Delivery; d != nil {
			// The simulation follows a flow's requests, not the messages
			// they publish: a delivery flow (through) is compared by its
			// request path's figures.
			mean, p99 = d.RequestLatencyMean, d.RequestLatencyP99
			if why == "" {
				why = "a delivery flow: the simulation follows its requests, not their messages' delivery (compared with the request path's figures)"
			}
		}
		add(Row{Subject: subject, Figure: "latency_mean", Analytic: mean, Sim: f.Mean, Tolerance: tol, Why: why}, n)
		add(Row{Subject: subject, Figure: "latency_p99", Analytic: p99, Sim: f.P99, Tolerance: tol, Why: why}, n)
		add(Row{Subject: subject, Figure: "timeout_loss", Analytic: math.NaN(), Sim: f.TimeoutLoss, Why: "not computed by the analysis yet"}, n)
		add(Row{Subject: subject, Figure: "success", Analytic: math.NaN(), Sim: f.Success, Why: "the analysis gives availability (time-based), not a request ratio"}, n)
	}
	for _, c := range rep.Calls {
		add(Row{Subject: c.From + " -> " + c.To, Figure: "tries_per_call", Analytic: math.NaN(), Sim: c.Tries, Why: "not computed by the analysis yet"}, c.Samples)
	}
	return rows
}
