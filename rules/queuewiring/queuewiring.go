// Package queuewiring is the rule that finds queues that lose their
// messages or their consumers' work: a queue written to that no one
// consumes, and a consumer of a queue that nothing writes to.
package queuewiring

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the queue-wiring rule.
var Analyzer = &analyze.Analyzer{
	ID:       "queue-wiring",
	Summary:  "a queue written to that nothing consumes, or consumed that nothing writes to",
	Problem:  analyze.Noun{One: "miswired queue", Many: "miswired queues"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	d := pass.Design
	// Queues something writes to: an async or sync call, or a dead-letter
	// relation (a consumer's failures are published there).
	written := map[*lang.Component][]string{}
	for _, c := range d.Components {
		for _, call := range c.Calls {
			if call.To != nil && call.To.Kind == lang.KindQueue {
				written[call.To] = append(written[call.To], c.Addr)
			}
		}
		if c.Kind == lang.KindQueue && c.DeadLetter != nil {
			written[c.DeadLetter] = append(written[c.DeadLetter], c.Addr+" (dead letters)")
		}
	}
	for _, q := range d.Components {
		if q.Kind != lang.KindQueue {
			continue
		}
		consumers := d.Consumers(q)
		writers := written[q]
		switch {
		case len(writers) > 0 && len(consumers) == 0:
			rate := pass.Results().Nominal.LoadOf(q.Addr).Total()
			what := "its backlog grows without bound"
			if rate > 0 {
				what = fmt.Sprintf("its backlog grows by %s messages/s = %s a day, without bound", num(rate), num(rate*86400))
			}
			if q.Retention > 0 {
				what = fmt.Sprintf("every message is dropped unread after retention %s", q.Retention)
			}
			pass.Report(analyze.Finding{
				Subject: q.Addr,
				Range:   q.DeclRange,
				Message: fmt.Sprintf("%s is written to by %s, but no component consumes it: %s", q.Addr, formula.List(writers), what),
				Detail:  "Add a `consume { from = " + q.Addr + " }` block to the component that processes these messages, or remove the writes.",
				Key:     "no consumer",
				Data:    map[string]any{"writers": writers, "messages_per_second": rate},
			})
		case len(writers) == 0 && len(consumers) > 0:
			for _, cs := range consumers {
				pass.Report(analyze.Finding{
					Subject: cs.Consumer.Addr,
					Range:   cs.DeclRange,
					Message: fmt.Sprintf("%s consumes %s, which no component writes to: its workers wait for messages that never come", cs.Consumer.Addr, q.Addr),
					Detail:  "Add the call that publishes to " + q.Addr + " (a `call { to = " + q.Addr + ", mode = \"async\" }` on the producer), or remove the consume block.",
					Key:     "no producer of " + q.Addr,
					Data:    map[string]any{"queue": q.Addr},
				})
			}
		}
	}
	return nil
}

func num(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}
