// Package bulkhead is the rule that checks a service's worker pool against
// the calls that share it, by Little's law: a slow dependency's requests in
// flight can take every worker and starve the calls to a fast one, unless a
// bulkhead caps them.
package bulkhead

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
	"github.com/hashicorp/hcl/v2"
)

//go:embed doc.md
var doc string

// Analyzer is the bulkhead rule.
var Analyzer = &analyze.Analyzer{
	ID:       "bulkhead",
	Summary:  "one worker pool (concurrency) shared by calls to a slow and a fast dependency: by Little's law the slow one's requests in flight take the pool (error at nominal load, warning when it slows to its timeout) unless a bulkhead caps them",
	Problem:  analyze.Noun{One: "pool with no bulkhead", Many: "pools with no bulkhead"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// dep is one synchronous call of the pool's owner, per instance.
type dep struct {
	call     *lang.Call
	rate     float64 // calls/s from one instance
	wait     float64 // mean response of the target, ms
	inFlight float64 // rate × wait
	bulkhead int     // 0: none
}

// little is Little's law with the numbers put in: "in-flight = 500/s ×
// 100 ms = 50".
func (d dep) little() string {
	return fmt.Sprintf("in-flight = %s/s × %s ms = %s", num(d.rate), num(d.wait), num(d.inFlight))
}

func (d dep) text() string { return d.call.To.Addr + ": " + d.little() }

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	rs := responses{r: r, memo: map[*lang.Component]float64{}}
	for _, c := range pass.Design.Components {
		if c.Concurrency <= 0 {
			continue
		}
		l := r.Nominal.LoadOf(c.Addr)
		if l.Up == 0 || l.Total() <= 0 {
			continue
		}
		deps := dependencies(c, l, &rs)
		if len(deps) < 2 {
			continue // one dependency has the pool to itself
		}
		check(pass, c, deps)
	}
	return nil
}

// dependencies are c's synchronous calls with their rates and waits per
// instance, the slowest (most in flight) first.
func dependencies(c *lang.Component, l *analyze.Load, rs *responses) []dep {
	var deps []dep
	for _, call := range c.Calls {
		if call.To == nil || !call.Sync() {
			continue
		}
		var in float64
		switch call.Op {
		case lang.OpRead:
			in = l.Read + l.Messages // each message consumed makes the read calls too
		case lang.OpWrite:
			in = l.Write
		default:
			in = l.Total()
		}
		rate := in * call.PerRequest / float64(l.Up)
		w := rs.of(call.To, 0)
		if rate <= 0 || w <= 0 || math.IsInf(w, 0) || math.IsNaN(w) {
			continue
		}
		deps = append(deps, dep{call: call, rate: rate, wait: w, inFlight: rate * w / 1000, bulkhead: call.EffectiveBulkhead()})
	}
	sort.SliceStable(deps, func(i, j int) bool { return deps[i].inFlight > deps[j].inFlight })
	return deps
}

// responses computes a component's mean response to one call: its own
// mean sojourn plus, for each of its synchronous calls, per_request × the
// target's response (a cache passes on its misses: 1 − hit_ratio of them
// to its origin), in ms.
type responses struct {
	r    *analyze.Results
	memo map[*lang.Component]float64
}

// maxDepth bounds the recursion (a cycle's calls are not followed again).
const maxDepth = 32

func (rs *responses) of(c *lang.Component, depth int) float64 {
	if v, ok := rs.memo[c]; ok {
		return v
	}
	if depth > maxDepth {
		return 0
	}
	rs.memo[c] = 0 // a call cycle adds nothing more
	own := c.Latency.Seconds() * 1000
	if cr := rs.r.Components[c.Addr]; cr != nil && cr.LatencyMean > 0 {
		own = cr.LatencyMean
	}
	total := own
	for _, call := range c.Calls {
		if call.To != nil && call.Sync() {
			total += call.PerRequest * rs.of(call.To, depth+1)
		}
	}
	if c.Kind == lang.KindCache && c.Origin != nil {
		total += (1 - c.HitRatio) * rs.of(c.Origin, depth+1)
	}
	rs.memo[c] = total
	return total
}

// degraded is what a slow dependency holds when it answers no sooner than
// its timeout, rate × tries × timeout, and how a message says it; +Inf
// without a timeout.
func degraded(d dep) (float64, string) {
	t := d.call.Timeout.Seconds()
	if t <= 0 {
		return math.Inf(1), fmt.Sprintf("when %s hangs, its calls, with no timeout, hold workers for ever", d.call.To.Addr)
	}
	v := d.rate * float64(d.call.Retries+1) * t
	s := fmt.Sprintf("%s/s × %s", num(d.rate), lang.FormatDuration(d.call.Timeout))
	if d.call.Retries > 0 {
		s = fmt.Sprintf("%s/s × %d tries × %s", num(d.rate), d.call.Retries+1, lang.FormatDuration(d.call.Timeout))
	}
	return v, fmt.Sprintf("when %s slows to its timeout, in-flight = %s = %s", d.call.To.Addr, s, num(v))
}

// maxWait is the probability of waiting for a worker, with a slow
// dependency at its timeout, above which the fast dependencies' calls are
// reported as starved though the pool is not full on average.
const maxWait = 0.05

// slowFactor is how many times the fastest dependency's response a
// dependency's must be to count as slow.
const slowFactor = 10

// held is what a dependency holds at nominal load: its in-flight, capped
// by its bulkhead.
func (d dep) held() float64 {
	if d.bulkhead > 0 {
		return math.Min(d.inFlight, float64(d.bulkhead))
	}
	return d.inFlight
}

func check(pass *analyze.Pass, c *lang.Component, deps []dep) {
	p := float64(c.Concurrency)
	pool := fmt.Sprintf("%s's pool of concurrency = %d workers per instance", c.Addr, c.Concurrency)
	related := []analyze.Related{{Message: "the pool", Range: c.Range("concurrency")}}
	total := 0.0
	fastest := math.Inf(1)
	for _, d := range deps {
		total += d.held()
		fastest = math.Min(fastest, d.wait)
	}
	slow, rest := deps[0], deps[1:]
	if total >= p {
		var terms []string
		for _, d := range rest {
			terms = append(terms, d.text())
		}
		pass.Report(analyze.Finding{
			Severity: analyze.Error,
			Message: fmt.Sprintf("%s is full at nominal load: %s (slow) + %s = %s ≥ %d: calls to %s wait for a worker behind %s",
				pool, slow.text(), strings.Join(terms, " + "), num(total), c.Concurrency, names(rest), slow.call.To.Addr),
			Detail: fmt.Sprintf("By Little's law a call holds a worker for its target's response time, so the calls in flight are rate × response. %s's calls to %s alone hold %s workers. "+
				"Raise concurrency above %s (with headroom), speed up %s, or give its call a bulkhead below %s so that the rest keep theirs.",
				c.Addr, slow.call.To.Addr, num(slow.held()), num(total), slow.call.To.Addr, num(p-(total-slow.held()))),
			Subject: c.Addr,
			Key:     "pool full at nominal load",
			Range:   c.Range("concurrency"),
			Related: []analyze.Related{{Message: "the slow dependency's call", Range: slow.call.DeclRange}},
			Data:    map[string]any{"concurrency": c.Concurrency, "in_flight": total, "slow": slow.call.To.Addr, "slow_in_flight": slow.held()},
		})
		return
	}
	for i, d := range deps {
		others := make([]dep, 0, len(deps)-1)
		need := 0.0
		for j, o := range deps {
			if j != i {
				others = append(others, o)
				need += o.held()
			}
		}
		if d.bulkhead > 0 {
			if d.inFlight > float64(d.bulkhead) {
				pass.Report(analyze.Finding{
					Message: fmt.Sprintf("the bulkhead of %d on %s's call to %s is below the workers its calls hold at nominal load (%s): about %s/s of them are refused",
						d.bulkhead, c.Addr, d.call.To.Addr, d.little(), num(d.rate*(1-float64(d.bulkhead)/d.inFlight))),
					Detail: fmt.Sprintf("A bulkhead of B workers passes at most B ÷ response = %d ÷ %s calls a second (Little's law); at its nominal response time %s needs %s. Raise the bulkhead to at least %s (the pool has %s to spare), or speed up %s.",
						d.bulkhead, num(d.wait)+" ms", d.call.To.Addr, num(d.inFlight), num(math.Ceil(d.inFlight)), num(p-need), d.call.To.Addr),
					Subject: c.Addr,
					Key:     "bulkhead below nominal in-flight: " + d.call.To.Addr,
					Range:   bulkheadRange(d.call),
					Related: related,
					Data:    map[string]any{"concurrency": c.Concurrency, "dependency": d.call.To.Addr, "bulkhead": d.bulkhead, "in_flight": d.inFlight, "refused_rps": d.rate * (1 - float64(d.bulkhead)/d.inFlight)},
				})
			}
			continue
		}
		if d.wait < slowFactor*fastest {
			continue // not a slow dependency
		}
		worst, how := degraded(d)
		full := worst+need >= p
		var pWait float64
		if !full {
			// Below the pool's size on average, requests still wait for a
			// worker whenever the calls in flight fluctuate above it: the
			// pool as an M/M/c queue of c = concurrency.
			if pWait = analyze.ErlangC(c.Concurrency, worst+need); pWait <= maxWait {
				continue
			}
		}
		data := map[string]any{"concurrency": c.Concurrency, "dependency": d.call.To.Addr, "in_flight": d.inFlight, "others_in_flight": need}
		if !math.IsInf(worst, 1) {
			data["in_flight_at_timeout"] = worst
		}
		var fastText []string
		for _, o := range others {
			fastText = append(fastText, o.text())
		}
		msg := fmt.Sprintf("%s is shared by %s (slow: %s) and %s; %s > %d − %s: it takes every worker and the calls to %s starve",
			pool, d.call.To.Addr, d.little(), strings.Join(fastText, ", "), how, c.Concurrency, num(need), names(others))
		if !full {
			data["p_wait"] = pWait
			msg = fmt.Sprintf("%s is shared by %s (slow: %s) and %s; %s, + %s = %s of %d workers busy on average: a request waits for a worker with probability %s (Erlang C) > %s, the calls to %s too",
				pool, d.call.To.Addr, d.little(), strings.Join(fastText, ", "), how, num(need), num(worst+need), c.Concurrency, formula.Ratio(pWait), formula.Ratio(maxWait), names(others))
		}
		if math.IsInf(worst, 1) {
			msg = fmt.Sprintf("%s is shared by %s (slow: %s) and %s; %s: it takes every worker and the calls to %s starve",
				pool, d.call.To.Addr, d.little(), strings.Join(fastText, ", "), how, names(others))
		}
		pass.Report(analyze.Finding{
			Message: msg,
			Detail: fmt.Sprintf("By Little's law a call holds a worker for its target's response time. When %s slows down (a failing third party, a saturated database) its calls hold workers up to their timeout, and requests that only need %s find no worker free: "+
				"the failure of the slow dependency becomes the failure of everything %s serves. A circuit breaker opens only after a window of failures, and the pool drains meanwhile. "+
				"Give the call to %s a bulkhead (bulkhead = %s leaves %s workers to the rest), or set bulkhead on %s for every dependency.",
				d.call.To.Addr, names(others), c.Addr, d.call.To.Addr, num(bulkheadFor(d)), num(p-bulkheadFor(d)), c.Addr),
			Subject: c.Addr,
			Key:     "no bulkhead: " + d.call.To.Addr,
			Range:   d.call.DeclRange,
			Related: related,
			Data:    data,
		})
	}
}

// bulkheadFor is the bulkhead the detail suggests: the dependency's
// nominal in-flight with a quarter of headroom.
func bulkheadFor(d dep) float64 { return math.Max(math.Ceil(d.inFlight*1.25), 1) }

// num writes a figure of Little's law with four significant digits: the
// rates and response times behind it are estimates.
func num(v float64) string { return formula.Sig(v, 4) }

func names(deps []dep) string {
	out := make([]string, len(deps))
	for i, d := range deps {
		out[i] = d.call.To.Addr
	}
	return formula.List(out)
}

// bulkheadRange is where the call's bulkhead is written: the call's, else
// the caller's.
func bulkheadRange(c *lang.Call) hcl.Range {
	if r, ok := c.Ranges["bulkhead"]; ok {
		return r
	}
	return c.From.Range("bulkhead")
}
