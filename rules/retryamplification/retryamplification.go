// Package retryamplification is the rule that multiplies retries along sync
// call chains: when a tier fails, every layer above it retries, and the tries
// multiply. It reports nested retries, and tiers that the worst-case load
// would overload.
package retryamplification

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the retry-amplification rule.
var Analyzer = &analyze.Analyzer{
	ID:       "retry-amplification",
	Summary:  "retries at two or more layers of a sync call chain multiply: Π (retries + 1) (warning), an error where the amplified load overloads a tier",
	Problem:  analyze.Noun{One: "retry amplification", Many: "retry amplifications"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// chain is the worst-case retry amplification at one component: the product
// of (retries + 1) over the sync calls of the path that reaches it with the
// largest product, restarted after a call with a circuit breaker.
type chain struct {
	amp    float64
	layers int        // calls with retries on the path
	via    *lang.Call // the last call of the path (nil at its start)
}

// amplifier computes the chains of a design, memoized; a call that closes a
// cycle is left out.
type amplifier struct {
	d     *lang.Design
	best  map[*lang.Component]chain
	state map[*lang.Component]int // 1 visiting, 2 done
}

// contribution is what call c adds to its target's chain.
func (a *amplifier) contribution(c *lang.Call) (chain, bool) {
	if c.CircuitBreaker {
		// An open breaker stops the calls: the chain starts again at c.To.
		return chain{amp: 1, via: c}, true
	}
	if a.state[c.From] == 1 {
		return chain{}, false
	}
	from := a.of(c.From)
	out := chain{amp: from.amp * analyze.RetryAmplification(c.Retries), layers: from.layers, via: c}
	if c.Retries > 0 {
		out.layers++
	}
	return out, true
}

func (a *amplifier) of(x *lang.Component) chain {
	if a.state[x] == 2 {
		return a.best[x]
	}
	a.state[x] = 1
	best := chain{amp: 1}
	for _, c := range a.d.Incoming(x) {
		if !c.Sync() || c.From == nil {
			continue
		}
		if ch, ok := a.contribution(c); ok && (ch.amp > best.amp || ch.amp == best.amp && ch.layers > best.layers) {
			best = ch
		}
	}
	a.state[x] = 2
	a.best[x] = best
	return best
}

// path is the chain's calls from its start to x, outermost first.
func (a *amplifier) path(x *lang.Component) []*lang.Call {
	var calls []*lang.Call
	seen := map[*lang.Component]bool{}
	for c := a.best[x].via; c != nil && !seen[c.To]; c = a.best[c.From].via {
		seen[c.To] = true
		calls = append(calls, c)
		if c.CircuitBreaker {
			break
		}
	}
	for i, j := 0, len(calls)-1; i < j; i, j = i+1, j-1 {
		calls[i], calls[j] = calls[j], calls[i]
	}
	return calls
}

func run(pass *analyze.Pass) error {
	d := pass.Design
	a := &amplifier{d: d, best: make(map[*lang.Component]chain, len(d.Components)), state: make(map[*lang.Component]int, len(d.Components))}
	for _, c := range d.Components {
		a.of(c)
	}
	// A retrying chain that goes on past x (a later retrying call's best
	// chain passes through x) is reported where it ends, once.
	extended := map[*lang.Component]bool{}
	for _, c := range d.Components {
		via := a.best[c].via
		if via == nil || via.Retries == 0 || via.CircuitBreaker {
			continue
		}
		for x := via.From; x != nil && !extended[x]; {
			extended[x] = true
			up := a.best[x].via
			if up == nil || up.CircuitBreaker {
				break
			}
			x = up.From
		}
	}
	var nominal *analyze.Scenario
	if r := pass.Results(); r != nil {
		nominal = r.Nominal
	}
	for _, x := range d.Components {
		ch := a.best[x]
		if ch.layers < 2 {
			continue
		}
		var l *analyze.Load
		if nominal != nil {
			l = nominal.Load[x.Addr]
		}
		overloads := x.CapacityRPS > 0 && l != nil && l.Utilization > 0 && ch.amp*l.Utilization >= 1
		end := ch.via.Retries > 0 && !ch.via.CircuitBreaker && !extended[x]
		if !overloads && !end {
			continue
		}
		pass.Report(finding(x, ch, a.path(x), l, overloads, end))
	}
	return nil
}

// finding reports the chain that reaches x. At the chain's end it points at
// the innermost retries; at a tier behind the end that the chain overloads,
// at the tier's capacity_rps.
func finding(x *lang.Component, ch chain, calls []*lang.Call, l *analyze.Load, overloads, end bool) analyze.Finding {
	var factors, retrying []string
	names := []string{calls[0].From.Addr}
	var inner *lang.Call
	var related []analyze.Related
	for _, c := range calls {
		names = append(names, c.To.Addr)
		if c.Retries > 0 {
			factors = append(factors, fmt.Sprintf("(%d + 1)", c.Retries))
			retrying = append(retrying, c.From.Addr+" → "+c.To.Addr)
			if inner != nil {
				related = append(related, analyze.Related{Message: "retries of " + inner.From.Addr + " → " + inner.To.Addr, Range: inner.Range("retries")})
			}
			inner = c
		}
	}
	msg := fmt.Sprintf("worst-case retry amplification = %s = %s× along %s", strings.Join(factors, " × "), formula.Num(ch.amp), strings.Join(names, " → "))
	data := map[string]any{"amplification": ch.amp, "layers": ch.layers, "path": names}
	sev := analyze.Warning
	if l != nil && x.CapacityRPS > 0 && l.Utilization > 0 {
		u := ch.amp * l.Utilization
		cmp := "< 1"
		if overloads {
			sev, cmp = analyze.Error, "≥ 1"
		}
		msg += fmt.Sprintf("; at %s × %s = %s, %s's utilization = %s × %s = %s %s",
			formula.Num(ch.amp), formula.Rate(l.Total()), formula.Rate(ch.amp*l.Total()), x.Addr, formula.Num(ch.amp), formula.Ratio(l.Utilization), formula.Ratio(u), cmp)
		data["load_rps"] = l.Total()
		data["amplified_rps"] = ch.amp * l.Total()
		data["utilization"] = l.Utilization
		data["amplified_utilization"] = u
	}
	rng := inner.Range("retries")
	if !end {
		related = append(related, analyze.Related{Message: "retries of " + inner.From.Addr + " → " + inner.To.Addr, Range: rng})
		rng = x.Range("capacity_rps")
	}
	return analyze.Finding{
		Severity: sev,
		Message:  msg,
		Detail: fmt.Sprintf("When %s fails or slows down, every retrying layer above it retries each of its tries: %s. "+
			"Retry at one layer only (usually the one closest to the failure, or the edge), drop the retries of the others, "+
			"or set circuit_breaker = true on a call so that an open breaker stops the tries through it; add jittered backoff.",
			x.Addr, formula.List(retrying)),
		Subject: x.Addr,
		Key:     "retry chain " + strings.Join(names, " → "),
		Range:   rng,
		Related: related,
		Data:    data,
	}
}
