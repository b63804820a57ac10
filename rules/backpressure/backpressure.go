// Package backpressure is the rule that checks what a queue does when its
// consumers fall behind: an unbounded queue (no max_depth) pushes nothing
// back on its producers and grows in the broker's memory or disk; a bounded
// one overflows, and either refuses its producers' writes or drops its
// oldest messages.
package backpressure

import (
	_ "embed"
	"fmt"
	"math"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the backpressure rule.
var Analyzer = &analyze.Analyzer{
	ID:       "backpressure",
	Summary:  "a queue whose consumers fall behind: with no max_depth its backlog grows in the broker's memory or disk with nothing pushing back on the producers; with one it overflows, refusing writes or dropping its oldest messages",
	Problem:  analyze.Noun{One: "queue with no backpressure", Many: "queues with no backpressure"},
	Doc:      doc,
	Severity: analyze.Warning,
	Params: []analyze.Param{{
		Name:    "outage",
		Doc:     "seconds the consumers of a queue are taken to be stopped, and the span over which a growing backlog is sized (default 10 minutes)",
		Default: 600,
	}},
	Run: run,
}

// queue is one queue's figures.
type queue struct {
	q        *lang.Component
	in       float64 // msg/s written
	drain    float64 // msg/s the slowest consumer group processes
	known    bool    // some consumer declares a rate
	outage   float64 // s
	size     float64 // bytes a message
	sizeText string  // "1 KiB (assumed)"
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	outage := pass.Param("outage")
	for _, q := range pass.Design.Components {
		if q.Kind != lang.KindQueue {
			continue
		}
		in := r.Nominal.LoadOf(q.Addr).Total()
		if in <= 0 {
			continue
		}
		x := queue{q: q, in: in, outage: outage, size: q.MessageSize}
		x.drain, x.known = analyze.SlowestDrain(pass.Design, q)
		x.sizeText = bytes(q.MessageSize)
		if !q.Has("message_size") {
			x.sizeText += " (assumed: message_size is not set)"
		}
		switch {
		case q.MaxDepth > 0:
			bounded(pass, x)
		case retentionBound(q):
			// A log keeps each message for its retention whether or not it
			// is read: its disk is sized by retention, and a slow
			// consumer's loss is queue-capacity's retention finding.
		default:
			unbounded(pass, x)
		}
	}
	return nil
}

// unbounded reports a queue with no max_depth whose backlog grows at the
// nominal load, or outgrows the broker's stated memory or disk in a
// consumer outage.
func unbounded(pass *analyze.Pass, x queue) {
	q := x.q
	if x.known && x.drain < x.in {
		growth := x.in - x.drain
		msgs := growth * x.outage
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("%s has no max_depth and its consumers drain %s msg/s < %s msg/s written: the backlog grows by %s msg/s × %s = %s/s with nothing pushing back on the producers; after %s, %s messages = %s",
				q.Addr, formula.Num(x.drain), formula.Num(x.in), formula.Num(growth), x.sizeText, bytes(growth*x.size), secs(x.outage), formula.Num(msgs), bytes(msgs*x.size)),
			Detail: "A queue with no bound accepts every write, so producers never learn that consumers cannot keep up: the backlog grows until the broker's memory or disk runs out, and then every producer fails at once (RabbitMQ's memory alarm blocks every publisher of the node; Kafka stops when its disk is full). " +
				"Make the consumers faster (queue-capacity says by how much), and bound the queue: max_depth with overflow = \"reject\" turns the overload into errors the producers see and can slow down for.",
			Subject: q.Addr,
			Key:     "unbounded and growing",
			Cause:   analyze.Cause("queue-slower", q.Addr),
			Range:   q.DeclRange,
			Data:    map[string]any{"in_rps": x.in, "drain_rps": x.drain, "growth_rps": growth, "message_size": x.size, "outage_s": x.outage, "backlog": msgs, "bytes": msgs * x.size},
		})
		return
	}
	limit, what, attr := brokerBound(q)
	msgs := x.in * x.outage
	if limit <= 0 || msgs*x.size <= limit {
		return
	}
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%s has no max_depth: after a %s consumer outage it holds %s msg/s × %s = %s messages × %s = %s > its %s %s, with nothing pushing back on the producers",
			q.Addr, secs(x.outage), formula.Num(x.in), secs(x.outage), formula.Num(msgs), x.sizeText, bytes(msgs*x.size), what, bytes(limit)),
		Detail: fmt.Sprintf("While its consumers are down the queue keeps accepting every write until the broker runs out of %s; then every producer fails at once (RabbitMQ's memory alarm, at 40%% of its memory by default, blocks every publisher of the node). "+
			"Set max_depth below %s messages, with overflow = \"reject\" to push back on the producers or \"drop_oldest\" to keep the newest, or give the broker the %s.",
			what, formula.Num(math.Floor(limit/x.size)), bytes(msgs*x.size)),
		Subject: q.Addr,
		Key:     "unbounded backlog over the broker's " + what,
		Range:   q.Range(attr),
		Data:    map[string]any{"in_rps": x.in, "outage_s": x.outage, "backlog": msgs, "message_size": x.size, "bytes": msgs * x.size, "limit_bytes": limit},
	})
}

// retentionBound reports whether the queue's engine is a log that deletes
// messages by age whether or not they are consumed (Kafka, Pulsar), or a
// managed service with no bound the design states (SQS, which deletes by
// age too): an unconsumed backlog neither grows its disk nor pushes back.
func retentionBound(q *lang.Component) bool {
	switch q.Engine {
	case "kafka", "pulsar", "sqs":
		return true
	}
	return false
}

// brokerBound is what holds an unbounded queue's backlog, as the design
// states it: a disk-backed engine's volume, else the container's memory; 0
// when the design states neither.
func brokerBound(q *lang.Component) (limit float64, what, attr string) {
	if q.Engine == "nats" { // JetStream's file store
		if q.Volume != nil && q.Volume.Size != "" {
			return lang.QuantityValue(q.Volume.Size), "disk (volume.size)", "volume.size"
		}
		return 0, "", ""
	}
	if q.Resources != nil && q.Resources.Memory != "" {
		return lang.QuantityValue(q.Resources.Memory), "memory (resources.memory)", "resources.memory"
	}
	return 0, "", ""
}

// bounded reports a queue whose max_depth overflows: at the nominal load
// when its consumers are slower than its producers, or in a consumer
// outage; and says what the overflow does.
func bounded(pass *analyze.Pass, x queue) {
	q := x.q
	depth := float64(q.MaxDepth)
	if x.known && x.drain < x.in {
		over := x.in - x.drain
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("%s fills its max_depth %d in %d / (%s − %s msg/s) = %s, then %s msg/s %s",
				q.Addr, q.MaxDepth, q.MaxDepth, formula.Num(x.in), formula.Num(x.drain), secs(depth/over), formula.Num(over), fate(q)),
			Detail:  overflowDetail(q, producers(pass.Design, q)),
			Subject: q.Addr,
			Key:     "overflows at nominal load",
			Cause:   analyze.Cause("queue-slower", q.Addr),
			Range:   q.Range("max_depth"),
			Data:    map[string]any{"in_rps": x.in, "drain_rps": x.drain, "max_depth": q.MaxDepth, "overflow": q.Overflow, "lost_rps": over},
		})
		return
	}
	msgs := x.in * x.outage
	if msgs <= depth {
		return
	}
	lost := msgs - depth
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("after a %s consumer outage, backlog = %s msg/s × %s = %s messages > max_depth %d: it is full after %s, then %s messages %s",
			secs(x.outage), formula.Num(x.in), secs(x.outage), formula.Num(msgs), q.MaxDepth, secs(depth/x.in), formula.Num(lost), fate(q)),
		Detail:  overflowDetail(q, producers(pass.Design, q)) + fmt.Sprintf(" Raise max_depth to at least %s (%s at %s a message) to ride out the outage, or set the rule's outage parameter to the consumer outage you plan for.", formula.Num(math.Ceil(msgs)), bytes(math.Ceil(msgs)*x.size), x.sizeText),
		Subject: q.Addr,
		Key:     "backlog over max_depth",
		Range:   q.Range("max_depth"),
		Related: []analyze.Related{{Message: "what a full queue does", Range: q.Range("overflow")}},
		Data:    map[string]any{"in_rps": x.in, "outage_s": x.outage, "backlog": msgs, "max_depth": q.MaxDepth, "overflow": q.Overflow, "lost": lost},
	})
}

// fate says what happens to the messages beyond max_depth.
func fate(q *lang.Component) string {
	if q.Overflow == "reject" {
		return "are refused: the producers' writes fail (overflow = \"reject\")"
	}
	if q.DeadLetter != nil && q.Engine == "rabbitmq" {
		return fmt.Sprintf("push the oldest out to the dead letters in %s (overflow = \"drop_oldest\")", q.DeadLetter.Addr)
	}
	return "push the oldest out: deleted unread, with no error to anyone (overflow = \"drop_oldest\")"
}

func overflowDetail(q *lang.Component, producers []string) string {
	if q.Overflow == "reject" {
		return fmt.Sprintf("With overflow = \"reject\" a full queue refuses new messages: backpressure reaches its producers (%s), whose writes fail until the consumers catch up; they must retry later, slow down, or fail their own callers.", formula.List(producers))
	}
	return "With overflow = \"drop_oldest\" (the default of RabbitMQ, NATS JetStream and Redis streams) a full queue accepts every new message and deletes its oldest: nothing tells the producers, and the work in the deleted messages is lost unless a dead_letter keeps it. Set overflow = \"reject\" where losing a message is worse than refusing one."
}

// producers are the components that write to q.
func producers(d *lang.Design, q *lang.Component) []string {
	var out []string
	for _, c := range d.Components {
		for _, call := range c.Calls {
			if call.To == q {
				out = append(out, c.Addr)
				break
			}
		}
	}
	return out
}

// bytes writes a size in bytes with binary units: "1 KiB", "585.9 MiB".
func bytes(v float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", v), "0"), ".") + " " + units[i]
}

// secs writes seconds: "600 s".
func secs(s float64) string {
	if math.IsInf(s, 1) {
		return "forever"
	}
	return formula.Num(s) + " s"
}
