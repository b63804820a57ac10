// Package deadletter is the rule that finds consumers whose failed
// messages have nowhere to go: a consumer that retries a failed message, of
// a queue with no dead_letter, drops a poison message with no record after
// its retries, and holds its partition meanwhile.
package deadletter

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the dead-letter rule.
var Analyzer = &analyze.Analyzer{
	ID:       "dead-letter",
	Summary:  "a consumer that retries failed messages of a queue with no dead_letter: a poison message holds its partition, then is dropped unrecorded",
	Problem:  analyze.Noun{One: "consumer with no dead-letter queue", Many: "consumers with no dead-letter queue"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	d := pass.Design
	var r *analyze.Results
	for _, q := range d.Components {
		if q.Kind != lang.KindQueue || q.DeadLetter != nil {
			continue
		}
		for _, cs := range d.Consumers(q) {
			if cs.Consumer == nil || cs.Retries == 0 {
				continue
			}
			if r == nil {
				r = pass.Results()
			}
			pass.Report(finding(r, q, cs))
		}
	}
	return nil
}

func finding(r *analyze.Results, q *lang.Component, cs *lang.Consume) analyze.Finding {
	in := 0.0
	if r != nil && r.Nominal != nil {
		in = r.Nominal.LoadOf(q.Addr).Total()
	}
	fate := "then it is dropped with no record"
	if q.Ordering == "partition" || q.Ordering == "global" {
		unit, n := "partition", q.Partitions
		if q.Ordering == "global" || n <= 0 {
			unit, n = "queue", 1
		}
		fate = fmt.Sprintf("meanwhile it holds its %s (ordering = %q) and the %s msg/s ÷ %d = %s msg/s behind it wait; then it is dropped with no record",
			unit, q.Ordering, formula.Num(in), n, formula.Num(in/float64(n)))
	}
	return analyze.Finding{
		Message: fmt.Sprintf("%s retries a failed message of %s %d %s with no dead_letter queue: a message that always fails takes %d tries; %s",
			cs.Consumer.Addr, q.Addr, cs.Retries, times(cs.Retries), cs.Retries+1, fate),
		Detail: fmt.Sprintf("A poison message (malformed, or one that trips a bug) fails every time it is processed. Without a dead-letter queue it is lost after its retries (or, where the consumer never gives up, comes back for ever); with one, it is parked where an operator or a replay job reads it. "+
			"Add dead_letter = queue.%s_dlq to %s: a queue of its own with a consumer, or a person, that reads it (queue-wiring reports one that nobody consumes).", q.Name, q.Addr),
		Subject: cs.Consumer.Addr,
		Key:     "no dead letter for " + q.Addr,
		Range:   cs.Ranges["retries"],
		Related: []analyze.Related{{Message: "the queue", Range: q.DeclRange}},
		Data:    map[string]any{"queue": q.Addr, "ordering": q.Ordering, "retries": cs.Retries, "rate": in},
	}
}

func times(n int) string {
	if n == 1 {
		return "time"
	}
	return "times"
}
