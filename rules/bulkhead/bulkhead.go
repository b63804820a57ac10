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
	return fmt.Sprintf("in-flight = %s/s × %s = %s", formula.Num(d.rate), formula.Millis(d.wait), formula.Num(d.inFlight))
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
			in = l.Read
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

// degraded is what the slow dependency holds when it answers no sooner
// than its timeout: rate × tries × timeout; +Inf without a timeout.
func degraded(d dep) (float64, string) {
	t := d.call.Timeout.Seconds()
	if t <= 0 {
		return math.Inf(1), fmt.Sprintf("with no timeout on the call, a hung %s holds a worker for every call until the pool is empty", d.call.To.Addr)
	}
	tries := float64(d.call.Retries + 1)
	v := d.rate * tries * t
	s := fmt.Sprintf("%s/s × %s", formula.Num(d.rate), lang.FormatDuration(d.call.Timeout))
	if d.call.Retries > 0 {
		s = fmt.Sprintf("%s/s × %d tries × %s", formula.Num(d.rate), d.call.Retries+1, lang.FormatDuration(d.call.Timeout))
	}
	return v, fmt.Sprintf("in-flight = %s = %s", s, formula.Num(v))
}

func check(pass *analyze.Pass, c *lang.Component, deps []dep) {
	p := float64(c.Concurrency)
	slow, fast := deps[0], deps[1:]
	var fastNeed float64
	var fastText []string
	for _, d := range fast {
		fastNeed += d.inFlight
		fastText = append(fastText, d.text())
	}
	total := slow.inFlight + fastNeed
	data := map[string]any{"concurrency": c.Concurrency, "slow": slow.call.To.Addr, "slow_in_flight": slow.inFlight, "fast_in_flight": fastNeed}
	pool := fmt.Sprintf("%s's pool of concurrency = %d workers per instance", c.Addr, c.Concurrency)
	related := []analyze.Related{{Message: "the pool", Range: c.Range("concurrency")}}

	// The slow dependency's share, capped by its bulkhead.
	held := slow.inFlight
	if slow.bulkhead > 0 {
		held = math.Min(held, float64(slow.bulkhead))
	}
	if held+fastNeed >= p {
		pass.Report(analyze.Finding{
			Severity: analyze.Error,
			Message: fmt.Sprintf("%s is full at nominal load: %s (slow) + %s = %s ≥ %d: calls to %s wait for a worker behind %s",
				pool, slow.text(), strings.Join(fastText, " + "), formula.Num(held+fastNeed), c.Concurrency, names(fast), slow.call.To.Addr),
			Detail: fmt.Sprintf("By Little's law a call holds a worker for its target's response time, so the calls in flight are rate × response. %s's calls to %s alone hold %s workers. "+
				"Raise concurrency above %s (with headroom), speed up %s, or give its call a bulkhead below %s so that the rest keep theirs.",
				c.Addr, slow.call.To.Addr, formula.Num(slow.inFlight), formula.Num(total), slow.call.To.Addr, formula.Num(p-fastNeed)),
			Subject: c.Addr,
			Key:     "pool full at nominal load",
			Range:   c.Range("concurrency"),
			Related: []analyze.Related{{Message: "the slow dependency's call", Range: slow.call.DeclRange}},
			Data:    data,
		})
		return
	}
	if slow.bulkhead > 0 {
		if slow.inFlight > float64(slow.bulkhead) {
			pass.Report(analyze.Finding{
				Message: fmt.Sprintf("the bulkhead of %d on %s's call to %s is below the workers its calls hold at nominal load (%s): about %s/s of them are refused",
					slow.bulkhead, c.Addr, slow.call.To.Addr, slow.little(), formula.Num(slow.rate*(1-float64(slow.bulkhead)/slow.inFlight))),
				Detail: fmt.Sprintf("A bulkhead caps the workers a dependency holds; at its nominal response time %s needs %s. Raise the bulkhead to at least %s (the pool has %s to spare), or speed up %s.",
					slow.call.To.Addr, formula.Num(slow.inFlight), formula.Num(math.Ceil(slow.inFlight)), formula.Num(p-fastNeed), slow.call.To.Addr),
				Subject: c.Addr,
				Key:     "bulkhead below nominal in-flight: " + slow.call.To.Addr,
				Range:   bulkheadRange(slow.call),
				Related: related,
				Data:    data,
			})
		}
		return
	}
	worst, how := degraded(slow)
	if worst+fastNeed <= p {
		return
	}
	data["slow_in_flight_at_timeout"] = worst
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%s is shared by %s (slow: %s) and %s; when %s slows to its timeout, %s > %d − %s: it takes every worker and the calls to %s starve",
			pool, slow.call.To.Addr, slow.little(), strings.Join(fastText, ", "), slow.call.To.Addr, how, c.Concurrency, formula.Num(fastNeed), names(fast)),
		Detail: fmt.Sprintf("By Little's law a call holds a worker for its target's response time. When %s slows down (a failing payment provider, a saturated database) its calls hold workers up to their timeout, and requests that only need %s find no worker free: "+
			"the failure of the slow dependency becomes the failure of everything %s serves. Give the call to %s a bulkhead (bulkhead = %s leaves %s workers to the rest), or set bulkhead on %s for every dependency.",
			slow.call.To.Addr, names(fast), c.Addr, slow.call.To.Addr, formula.Num(math.Max(math.Ceil(slow.inFlight*1.25), 1)), formula.Num(p-math.Max(math.Ceil(slow.inFlight*1.25), 1)), c.Addr),
		Subject: c.Addr,
		Key:     "no bulkhead: " + slow.call.To.Addr,
		Range:   slow.call.DeclRange,
		Related: related,
		Data:    data,
	})
}

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
