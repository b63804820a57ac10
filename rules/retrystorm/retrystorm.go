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
	Summary:  "a call's retries have no stable fixed point: the load they add overloads the callee (metastable design)",
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
