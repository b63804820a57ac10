// Package timeoutbudget is the rule that checks call timeouts against what
// they wait for: a caller's timeout shorter than the tries its callee makes
// downstream, and a timeout shorter than the callee's own p99 latency.
package timeoutbudget

import (
	_ "embed"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the timeout-budget rule.
var Analyzer = &analyze.Analyzer{
	ID:       "timeout-budget",
	Summary:  "a caller's timeout shorter than its callee's tries ((retries + 1) × timeout + retries × backoff), or than the callee's p99 latency",
	Problem:  analyze.Noun{One: "timeout too short", Many: "timeouts too short"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// Budget is the longest a call can take with its retries: (retries + 1)
// tries of timeout each, and a backoff before each retry. Per-try 500 ms
// with 3 retries is 4 × 500 ms = 2000 ms.
func Budget(timeout time.Duration, retries int, backoff time.Duration) time.Duration {
	r := max(retries, 0)
	return time.Duration(r+1)*timeout + time.Duration(r)*backoff
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func run(pass *analyze.Pass) error {
	d := pass.Design
	ds := &deadlines{d: d, memo: make(map[*lang.Component]*deadline, len(d.Components)), state: make(map[*lang.Component]bool, len(d.Components))}
	for _, b := range d.Components {
		if in := ds.of(b); in != nil {
			for _, out := range b.Calls {
				if out.Sync() && out.Ranges.Has("timeout") && out.To != nil {
					tries(pass, in, out)
				}
			}
		}
	}
	r := pass.Results()
	if r == nil {
		return nil
	}
	for _, a := range d.Components {
		for _, call := range a.Calls {
			if call.Sync() && call.Ranges.Has("timeout") && call.To != nil {
				slow(pass, r, call)
			}
		}
	}
	return nil
}

// deadline is the shortest timeout a caller sets on the requests a
// component serves: the call that sets it, and the components the request
// passes from that call to the component (a load balancer or CDN in between
// forwards its caller's deadline when its own call sets none).
type deadline struct {
	call *lang.Call
	via  []string // addresses from call.From to the component, both included
}

func (dl deadline) path() string { return strings.Join(dl.via, " → ") }

// deadlines finds each component's deadline, memoized.
type deadlines struct {
	d     *lang.Design
	memo  map[*lang.Component]*deadline
	state map[*lang.Component]bool // true while being computed (a cycle)
}

func (ds *deadlines) of(b *lang.Component) *deadline {
	if dl, ok := ds.memo[b]; ok {
		return dl
	}
	if ds.state[b] {
		return nil
	}
	ds.state[b] = true
	var best *deadline
	for _, in := range ds.d.Incoming(b) {
		if !in.Sync() || in.From == nil {
			continue
		}
		var cand *deadline
		switch {
		case in.Ranges.Has("timeout"):
			cand = &deadline{call: in, via: []string{in.From.Addr, b.Addr}}
		case in.From.Kind == lang.KindLoadBalancer || in.From.Kind == lang.KindCDN:
			if up := ds.of(in.From); up != nil {
				cand = &deadline{call: up.call, via: append(append([]string(nil), up.via...), b.Addr)}
			}
		}
		if cand != nil && (best == nil || cand.call.Timeout < best.call.Timeout) {
			best = cand
		}
	}
	ds.state[b] = false
	ds.memo[b] = best
	return best
}

// tries reports out, a call of the component that in calls, when its tries
// outlast in's timeout.
func tries(pass *analyze.Pass, dl *deadline, out *lang.Call) {
	b, in := out.From, dl.call
	worst := Budget(out.Timeout, out.Retries, out.Backoff)
	if worst <= in.Timeout {
		return
	}
	n := out.Retries + 1
	text := fmt.Sprintf("%d %s × %s", n, plural(n, "try", "tries"), formula.Millis(ms(out.Timeout)))
	if out.Retries > 0 && out.Backoff > 0 {
		text += fmt.Sprintf(" + %d × %s backoff", out.Retries, formula.Millis(ms(out.Backoff)))
	}
	rng, fix := out.Range("retries"), "lower retries"
	if out.Timeout > in.Timeout || out.Retries == 0 {
		rng, fix = out.Range("timeout"), "lower this timeout"
	}
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%s calls %s with %s = %s > %s, the timeout of %s: the caller gives up before the tries end",
			b.Addr, out.To.Addr, text, formula.Millis(ms(worst)), formula.Millis(ms(in.Timeout)), dl.path()),
		Detail: fmt.Sprintf("%s waits at most %s for %s, but %s may spend %s on its call to %s alone before it answers. "+
			"Past the caller's timeout the remaining tries are wasted work on a request nobody waits for, and the caller may retry on top of them. "+
			"Fit the tries in the caller's budget: %s (or raise the caller's timeout), keeping (retries + 1) × timeout + retries × backoff under %s minus %s's own work.",
			in.From.Addr, formula.Millis(ms(in.Timeout)), b.Addr, b.Addr, formula.Millis(ms(worst)), out.To.Addr, fix, formula.Millis(ms(in.Timeout)), b.Addr),
		Subject: b.Addr,
		Key:     "tries to " + out.To.Addr + " outlast the timeout of " + in.From.Addr,
		Range:   rng,
		Related: []analyze.Related{{Message: "the caller's timeout (" + dl.path() + ")", Range: in.Range("timeout")}},
		Data: map[string]any{
			"caller_timeout_ms": ms(in.Timeout), "timeout_ms": ms(out.Timeout), "retries": out.Retries,
			"backoff_ms": ms(out.Backoff), "tries": n, "worst_ms": ms(worst),
		},
	})
}

// slow reports a call whose timeout is shorter than its callee's own p99.
func slow(pass *analyze.Pass, r *analyze.Results, call *lang.Call) {
	cr := r.Components[call.To.Addr]
	if cr == nil || cr.LatencyP99 <= 0 || math.IsInf(cr.LatencyP99, 0) || ms(call.Timeout) >= cr.LatencyP99 {
		return
	}
	t := ms(call.Timeout)
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("timeout %s < p99 latency %s of %s: more than 1%% of calls from %s time out",
			formula.Millis(t), formula.Millis(cr.LatencyP99), call.To.Addr, call.From.Addr),
		Detail: fmt.Sprintf("%s alone (its own sojourn at its load, mean %s, before any call it makes) takes longer than %s for more than 1%% of requests: "+
			"those time out although they would succeed, and their retries add load to a tier that is already slow. "+
			"Raise the timeout above %s, or make %s faster.",
			call.To.Addr, formula.Millis(cr.LatencyMean), formula.Millis(t), formula.Millis(cr.LatencyP99), call.To.Addr),
		Subject: call.From.Addr,
		Key:     "timeout under the p99 of " + call.To.Addr,
		Range:   call.Range("timeout"),
		Data:    map[string]any{"timeout_ms": t, "p99_ms": cr.LatencyP99, "mean_ms": cr.LatencyMean},
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
