// Package retrystorm is the rule that reports calls whose retries have no
// stable fixed point: the load the retries add makes the callee slow enough
// to time out more, until the callee is overloaded by retries alone.
package retrystorm

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the retry-storm rule.
var Analyzer = &analyze.Analyzer{
	ID:       "retry-storm",
	Summary:  "a call's retries overload the callee: no stable fixed point (error), or a collapsed one that holds itself up (metastable: warning)",
	Problem:  analyze.Noun{One: "retry storm", Many: "retry storms"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil {
		return nil
	}
	for _, rr := range r.Retries {
		if rr.Metastable {
			metastable(pass, rr)
			continue
		}
		if !rr.Storm {
			continue
		}
		c := rr.Call
		t := c.Timeout.Seconds() * 1000
		msg := fmt.Sprintf("retries of the call to %s have no stable fixed point: with one try per call %s runs at utilization %s, "+
			"but a try times out with p = P(sojourn > %s) = %s, tries = 1 + p + … + p^%d = %s, and at that load %s is at utilization %s ≥ 1",
			c.To.Addr, c.To.Addr, formula.Ratio(rr.Base), formula.Millis(t), formula.Ratio(rr.P), c.Retries, formula.Ratio(rr.Tries),
			c.To.Addr, formula.Ratio(rr.Utilization))
		rng := c.Range("retries") // a storm needs retries: tries = 1 without
		pass.Report(analyze.Finding{
			Message: msg,
			Detail: "The design is metastable: a slow moment (a burst, a GC pause, a failover) makes tries time out, their retries add load, " +
				"the added load makes more tries time out, and the callee never recovers while the retries go on. " +
				"Give the call a timeout well above the callee's sojourn (its p99 at the load the retries make), fewer retries, " +
				"a circuit breaker or a retry budget, or the callee more capacity.",
			Subject: c.From.Addr,
			Key:     "retries to " + c.To.Addr,
			Range:   rng,
			Related: []analyze.Related{{Message: "the callee, " + c.To.Addr, Range: c.To.DeclRange}},
			Data: map[string]any{
				"callee": c.To.Addr, "timeout_ms": t, "retries": c.Retries, "p_timeout": rr.P, "tries": rr.Tries,
				"utilization": rr.Utilization, "utilization_one_try": rr.Base, "timeout_loss": rr.TimeoutLoss,
			},
		})
	}
	return nil
}

// metastable reports a call whose retries have a stable fixed point and a
// second one, collapsed, that holds itself up: with every try timing out the
// callee is overloaded by the retries alone.
func metastable(pass *analyze.Pass, rr *analyze.RetryResult) {
	c := rr.Call
	t := c.Timeout.Seconds() * 1000
	pass.Report(analyze.Finding{
		Severity: analyze.Warning,
		Message: fmt.Sprintf("retries of the call to %s make a metastable design: it runs at utilization %s with %s per call, "+
			"but once a slow moment makes its tries time out (sojourn > %s), %d tries per call put it at utilization %s ≥ 1, "+
			"where every try keeps timing out",
			c.To.Addr, formula.Ratio(rr.Utilization), tries(rr.Tries), formula.Millis(t), c.Retries+1, formula.Ratio(rr.Collapsed)),
		Detail: "The collapsed state is a second fixed point of the retries: an overloaded callee's sojourn grows without bound, every try " +
			"times out and is retried, and the retries alone keep it overloaded until the load drops (a metastable failure). " +
			"A burst, a GC pause or a failover is enough to tip it over. Keep the callee below utilization 1 with every try: " +
			"fewer retries, a retry budget or a circuit breaker, or more capacity.",
		Subject: c.From.Addr,
		Key:     "retries to " + c.To.Addr,
		Range:   c.Range("retries"),
		Related: []analyze.Related{{Message: "the callee, " + c.To.Addr, Range: c.To.DeclRange}},
		Data: map[string]any{
			"callee": c.To.Addr, "timeout_ms": t, "retries": c.Retries, "p_timeout": rr.P, "tries": rr.Tries,
			"utilization": rr.Utilization, "utilization_collapsed": rr.Collapsed, "metastable": true,
		},
	})
}

// tries writes a number of tries: "1 try", "1.013 tries".
func tries(n float64) string {
	if s := formula.Ratio(n); s != "1" {
		return s + " tries"
	}
	return "1 try"
}
