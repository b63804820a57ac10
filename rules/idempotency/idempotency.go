// Package idempotency is the rule that finds consumers of at-least-once
// queues that are not marked idempotent: a redelivered message repeats its
// side effects.
package idempotency

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

// Analyzer is the idempotency rule.
var Analyzer = &analyze.Analyzer{
	ID:       "idempotency",
	Summary:  "a consumer of an at-least-once queue that is not idempotent: redelivered messages repeat their writes",
	Problem:  analyze.Noun{One: "non-idempotent consumer", Many: "non-idempotent consumers"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// atLeastOnceEngines deliver at least once by default: SQS standard queues
// (documented), Kafka and Pulsar consumers that commit after processing,
// RabbitMQ with manual acknowledgements, Redis Streams consumer groups
// (pending entries are claimed again).
var atLeastOnceEngines = map[string]bool{
	"sqs": true, "kafka": true, "rabbitmq": true, "pulsar": true, "redis_streams": true,
}

// delivery returns the queue's delivery guarantee and why: as written, or
// derived from its engine.
func delivery(q *lang.Component) (mode, why string) {
	if q.Has("delivery") {
		return q.Delivery, fmt.Sprintf("delivery = %q", q.Delivery)
	}
	if q.Delivery != "" {
		return q.Delivery, fmt.Sprintf("delivery defaults to %q", q.Delivery)
	}
	if atLeastOnceEngines[q.Engine] {
		return "at_least_once", fmt.Sprintf("%s delivers at least once by default", q.Engine)
	}
	return "", ""
}

func run(pass *analyze.Pass) error {
	for _, consumer := range pass.Design.Components {
		for _, cs := range consumer.Consumes {
			q := cs.Queue
			if q == nil || cs.Idempotent {
				continue
			}
			mode, why := delivery(q)
			if mode == "exactly_once" {
				exactlyOnceOutside(pass, consumer, cs, why)
				continue
			}
			if mode != "at_least_once" {
				continue
			}
			effects := sideEffects(consumer)
			if len(effects) == 0 && !consumer.IsStateful() {
				continue // a consumer with no writes is idempotent by nature
			}
			what := "its changes to its own state"
			if len(effects) > 0 {
				what = "its writes to " + formula.List(effects)
			}
			r, ok := cs.Ranges["idempotent"]
			if !ok {
				r = cs.DeclRange
			}
			pass.Report(analyze.Finding{
				Message: fmt.Sprintf("%s consumes %s, which delivers at least once (%s), but is not idempotent: a redelivered message repeats %s",
					consumer.Addr, q.Addr, why, what),
				Detail:  "At-least-once delivery redelivers a message whenever the consumer fails or times out between doing the work and acknowledging it, so every message may be processed twice. Processing it twice must have the effect of processing it once.\nSmallest fix: make the handler idempotent (deduplicate on a message or idempotency key, or make its writes upserts) and say so with idempotent = true in the consume block.",
				Subject: consumer.Addr,
				Key:     "consumes " + q.Addr,
				Range:   r,
				Related: []analyze.Related{{Message: fmt.Sprintf("%s: %s", q.Addr, why), Range: q.Range("delivery")}},
				Data:    map[string]any{"queue": q.Addr, "delivery": mode, "side_effects": effects, "fixes": []string{"idempotent = true"}},
			})
		}
	}
	return nil
}

// exactlyOnceOutside reports a consumer of an exactly-once queue that writes
// outside it: Kafka's exactly-once covers consume-process-produce within
// Kafka, not a database write or an HTTP call, which repeat when a message
// is processed again (engine-table row kafka-exactly-once).
func exactlyOnceOutside(pass *analyze.Pass, consumer *lang.Component, cs *lang.Consume, why string) {
	q := cs.Queue
	var outside []string
	var row *analyze.Row
	for _, call := range consumer.Calls {
		if call.To == nil || !call.Op.Matches(lang.OpWrite) || call.IdempotencyKey {
			continue
		}
		covered, r := analyze.ExactlyOnceCovers(q, call.To)
		row = r
		if !covered {
			outside = append(outside, call.To.Addr)
		}
	}
	if len(outside) == 0 || q.Engine != "kafka" {
		return
	}
	r, ok := cs.Ranges["idempotent"]
	if !ok {
		r = cs.DeclRange
	}
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%s consumes %s with delivery = \"exactly_once\", but writes outside Kafka (%s): exactly-once does not cover those writes, which repeat when a message is processed again",
			consumer.Addr, q.Addr, strings.Join(outside, ", ")),
		Detail:  fmt.Sprintf("%s: %s (Source: %s.)\nSmallest fix: make the handler idempotent (deduplicate on the message's key, or upsert) and say idempotent = true; or idempotency_key = true on each call that writes outside Kafka.", why, row.Why, row.Source),
		Subject: consumer.Addr,
		Key:     "exactly_once outside " + q.Addr,
		Range:   r,
		Related: []analyze.Related{{Message: fmt.Sprintf("%s: %s", q.Addr, why), Range: q.Range("delivery")}},
		Data:    map[string]any{"queue": q.Addr, "delivery": "exactly_once", "side_effects": outside, "engine_table_row": string(row.ID), "fixes": []string{"idempotent = true", "idempotency_key = true"}},
	})
}

// sideEffects lists the components the consumer writes to, in call order.
func sideEffects(c *lang.Component) []string {
	effects := []string{}
	for _, call := range c.Calls {
		if call.To != nil && call.Op.Matches(lang.OpWrite) {
			effects = append(effects, call.To.Addr)
		}
	}
	return effects
}
