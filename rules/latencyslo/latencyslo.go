// Package latencyslo is the rule that checks each flow's mean and 99th
// percentile latency against its SLO.
package latencyslo

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the latency-slo rule.
var Analyzer = &analyze.Analyzer{
	ID:       "latency-slo",
	Summary:  "a flow's mean or p99 latency is above its SLO",
	Problem:  analyze.Noun{One: "flow over its latency SLO", Many: "flows over their latency SLO"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// objectives returns the latency objectives a flow is held to: the flow's
// effective SLO (its own over the system's), whose Ranges say where each
// objective is written.
func objectives(d *lang.Design, fr *analyze.FlowResult) lang.SLO {
	if fr.Flow != nil {
		return fr.Flow.SLO
	}
	if d.System != nil {
		return d.System.SLO
	}
	return lang.SLO{}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// maxTerms is how many hops a message names one by one.
const maxTerms = 6

// meanSum writes a flow's mean latency as the sum over its hops, in path
// order: "1 ms (load_balancer.edge) + 20.0018 ms (service.api) + 0.2 ×
// 5.0005 ms (database.orders)". With many hops it names the largest shares
// and sums the rest in one term ("0.52 ms (14 more hops)").
func meanSum(fr *analyze.FlowResult) string {
	type hop struct {
		calls, mean float64
		label       string
	}
	var hops []hop
	add := func(calls, mean float64, label string) {
		if mean > 0 && calls > 0 {
			hops = append(hops, hop{calls, mean, label})
		}
	}
	for _, h := range fr.Hops {
		add(h.CallsPerRequest, h.LatencyMean, h.Component.Addr)
	}
	if d := fr.Delivery; d != nil {
		// A delivery's mean is its slowest consume block's: the queue, the
		// wait for a worker, the consumer's path (per message).
		add(1, d.QueueHop.LatencyMean, d.QueueHop.Component.Addr)
		if c := slowest(fr); c != nil {
			add(1, c.WaitMean, "wait for "+c.Consumer.Addr+"'s workers")
			for _, h := range c.Hops {
				add(h.CallsPerRequest, h.LatencyMean, h.Component.Addr)
			}
		}
	}
	share := func(i int) float64 { return hops[i].calls * hops[i].mean }
	show := make([]bool, len(hops))
	if len(hops) <= maxTerms {
		for i := range hops {
			show[i] = true
		}
	} else {
		bySh := make([]int, len(hops))
		for i := range bySh {
			bySh[i] = i
		}
		sort.SliceStable(bySh, func(i, j int) bool { return share(bySh[i]) > share(bySh[j]) })
		for _, i := range bySh[:maxTerms-1] {
			show[i] = true
		}
	}
	var terms []string
	rest, restN := 0.0, 0
	for i, h := range hops {
		if !show[i] {
			rest += share(i)
			restN++
			continue
		}
		t := formula.Millis(h.mean) + " (" + h.label + ")"
		if h.calls != 1 {
			t = formula.Num(h.calls) + " × " + t
		}
		terms = append(terms, t)
	}
	if restN > 0 {
		terms = append(terms, fmt.Sprintf("%s (%d more hops)", formula.Millis(rest), restN))
	}
	return strings.Join(terms, " + ")
}

// slowest is the consume block whose delivery sets a delivery flow's
// latency (nil when there is none).
func slowest(fr *analyze.FlowResult) *analyze.ConsumerDelivery {
	if fr.Delivery == nil {
		return nil
	}
	for _, c := range fr.Delivery.Consumers {
		if c.LatencyP99 == fr.LatencyP99 && c.LatencyMean == fr.LatencyMean {
			return c
		}
	}
	return nil
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
		slo := objectives(d, fr)
		var parts []string
		var related []analyze.Related
		data := map[string]any{"flow": name, "latency_mean": fr.LatencyMean, "latency_p99": fr.LatencyP99}
		if slo.LatencyMean > 0 && fr.LatencyMean > ms(slo.LatencyMean) {
			sum := meanSum(fr)
			if sum != "" {
				sum += " = "
			}
			parts = append(parts, fmt.Sprintf("latency_mean = %s%s > %s", sum, formula.Millis(fr.LatencyMean), formula.Millis(ms(slo.LatencyMean))))
			related = append(related, analyze.Related{Message: "the mean latency objective", Range: slo.Ranges["latency_mean"]})
			data["slo_latency_mean"] = ms(slo.LatencyMean)
		}
		if slo.LatencyP99 > 0 && fr.LatencyP99 > ms(slo.LatencyP99) {
			parts = append(parts, fmt.Sprintf("latency_p99 = %s > %s", formula.Millis(fr.LatencyP99), formula.Millis(ms(slo.LatencyP99))))
			related = append(related, analyze.Related{Message: "the p99 latency objective", Range: slo.Ranges["latency_p99"]})
			data["slo_latency_p99"] = ms(slo.LatencyP99)
		}
		under(pass, fr, slo)
		if len(parts) == 0 {
			continue
		}
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("flow %q: %s", name, strings.Join(parts, "; ")),
			Detail:  detail(fr),
			Subject: fr.Subject(),
			Key:     "latency",
			Range:   fr.DeclRange(),
			Related: related,
			Data:    data,
		})
	}
	return nil
}

// detail lists the hops with the largest shares of the mean (their mean and
// p99 per visit) and names the largest.
func detail(fr *analyze.FlowResult) string {
	var hops []*analyze.Hop
	all := fr.Hops
	if fr.Delivery != nil {
		all = append(append([]*analyze.Hop(nil), fr.Hops...), fr.Delivery.QueueHop)
		if c := slowest(fr); c != nil {
			all = append(all, c.Hops...)
		}
	}
	for _, h := range all {
		if h.LatencyMean > 0 {
			hops = append(hops, h)
		}
	}
	if len(hops) == 0 {
		return "No hop on the flow's path declares a latency."
	}
	sort.SliceStable(hops, func(i, j int) bool {
		return hops[i].CallsPerRequest*hops[i].LatencyMean > hops[j].CallsPerRequest*hops[j].LatencyMean
	})
	var b strings.Builder
	b.WriteString("Largest shares of the mean (per visit: mean, p99):")
	for i, h := range hops {
		if i == maxTerms {
			fmt.Fprintf(&b, " and %d more hops;", len(hops)-maxTerms)
			break
		}
		fmt.Fprintf(&b, " %s %s, %s;", h.Component.Addr, formula.Millis(h.LatencyMean), formula.Millis(h.LatencyP99))
	}
	fmt.Fprintf(&b, " the largest share is %s's. Lower its latency, its utilization (more replicas: less queueing), "+
		"or the calls per request that reach it (a cache, less fan-out).", hops[0].Component.Addr)
	return b.String()
}

// maxScenarios is how many scenarios a message names one by one.
const maxScenarios = 5

// under reports, in one finding, the failure scenarios of the SLO's `under`
// in which the flow's mean or p99 latency is above its objective: the worst
// first. A scenario in which nothing the flow needs is up has no latency:
// availability-slo speaks of it.
func under(pass *analyze.Pass, fr *analyze.FlowResult, slo lang.SLO) {
	if slo.LatencyMean <= 0 && slo.LatencyP99 <= 0 {
		return
	}
	type breach struct {
		s         analyze.FlowInScenario
		what      string
		value, by float64
	}
	var over []breach
	for _, f := range pass.Results().FlowUnder(fr.Name, slo.Under) {
		if math.IsNaN(f.LatencyP99) {
			continue
		}
		if o := ms(slo.LatencyP99); o > 0 && f.LatencyP99 > o {
			over = append(over, breach{f, "latency_p99", f.LatencyP99, f.LatencyP99 / o})
		} else if o := ms(slo.LatencyMean); o > 0 && f.LatencyMean > o {
			over = append(over, breach{f, "latency_mean", f.LatencyMean, f.LatencyMean / o})
		}
	}
	if len(over) == 0 {
		return
	}
	sort.SliceStable(over, func(i, j int) bool { return over[i].by > over[j].by })
	objective := func(what string) float64 {
		if what == "latency_p99" {
			return ms(slo.LatencyP99)
		}
		return ms(slo.LatencyMean)
	}
	show := func(v float64) string {
		if math.IsInf(v, 1) {
			return "unbounded (a queue on the path is unstable)"
		}
		return formula.Millis(v)
	}
	w := over[0]
	msg := fmt.Sprintf("flow %q with %s: %s = %s > %s", fr.Name, w.s.Scenario.Name, w.what, show(w.value), formula.Millis(objective(w.what)))
	var also []string
	figures := map[string]map[string]any{}
	for i, b := range over {
		figures[b.s.Scenario.Name] = map[string]any{"latency_mean": finite(b.s.LatencyMean), "latency_p99": finite(b.s.LatencyP99)}
		if i > 0 && i <= maxScenarios {
			also = append(also, fmt.Sprintf("%s: %s %s", b.s.Scenario.Name, b.what, show(b.value)))
		}
	}
	if n := len(over) - 1 - len(also); n > 0 {
		also = append(also, fmt.Sprintf("and %d more", n))
	}
	if len(also) > 0 {
		msg += "; also above with " + strings.Join(also, ", ")
	}
	var related []analyze.Related
	if rng, ok := slo.Ranges["under"]; ok {
		related = append(related, analyze.Related{Message: "the scenarios the objective must hold under", Range: rng})
	}
	if rng, ok := slo.Ranges[w.what]; ok {
		related = append(related, analyze.Related{Message: "the objective", Range: rng})
	}
	pass.Report(analyze.Finding{
		Message: msg,
		Detail: fmt.Sprintf("The objective must hold under %s failures too. With %s, the survivors carry the load of what is lost and queue longer; "+
			"give the tiers on the path headroom for the loss (more instances, in more zones), or relax the objective.",
			formula.List(slo.Under), w.s.Scenario.Name),
		Subject: fr.Subject(),
		Key:     "latency under failure",
		Range:   fr.DeclRange(),
		Related: related,
		Data:    map[string]any{"flow": fr.Name, "under": slo.Under, "scenarios": figures},
	})
}

// finite is v, or nil (JSON null) when it is not finite.
func finite(v float64) any {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return v
}
