// Package queuecapacity is the rule that checks a queue's consumers against
// its producers: consumers slower than producers, the backlog a consumer
// outage leaves against retention, and workers beyond the partitions that
// can serve them.
package queuecapacity

import (
	_ "embed"
	"fmt"
	"math"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
	"github.com/hashicorp/hcl/v2"
)

//go:embed doc.md
var doc string

// Analyzer is the queue-capacity rule.
var Analyzer = &analyze.Analyzer{
	ID:       "queue-capacity",
	Summary:  "consumers slower than producers (error); a consumer outage's backlog against retention (warning); workers beyond the partitions (info)",
	Problem:  analyze.Noun{One: "queue capacity gap", Many: "queue capacity gaps"},
	Doc:      doc,
	Severity: analyze.Warning,
	Params: []analyze.Param{{
		Name:    "outage",
		Doc:     "seconds the consumers of a queue are taken to be stopped when sizing the backlog (default 10 minutes)",
		Default: 600,
	}},
	Run: run,
}

// drain is what one consume block processes: min(workers × instances,
// partitions) × rate, as analyze.ConsumeCapacity computes it, with the terms
// a message shows.
type drain struct {
	cs         *lang.Consume
	workers    int // workers × instances
	partitions int // 0: the queue does not limit them
	rate       float64
}

func newDrain(cs *lang.Consume) drain {
	return drain{cs: cs, workers: max(cs.Workers, 1) * instances(cs.Consumer), partitions: cs.Queue.Partitions, rate: cs.Rate}
}

// instances counts the consumer's instances the way ConsumeCapacity does.
func instances(c *lang.Component) int {
	if c == nil {
		return 1
	}
	return max(len(c.Instances), c.Replicas, 1)
}

func (d drain) value() float64 { return analyze.ConsumeCapacity(d.cs, d.cs.Queue) }

// partitionBound reports whether the partitions, not the workers, limit the drain.
func (d drain) partitionBound() bool { return d.partitions > 0 && d.partitions < d.workers }

// text is the drain as a formula: "min(12 workers × 1 instance, 8
// partitions) × 200 msg/s".
func (d drain) text() string {
	n := instances(d.cs.Consumer)
	w := fmt.Sprintf("%d %s × %d %s", max(d.cs.Workers, 1), plural(max(d.cs.Workers, 1), "worker"), n, plural(n, "instance"))
	if d.partitions > 0 {
		w = fmt.Sprintf("min(%s, %d %s)", w, d.partitions, plural(d.partitions, "partition"))
	}
	return fmt.Sprintf("%s × %s msg/s", w, formula.Num(d.rate))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// group is a set of consume blocks that share the queue's messages: one
// block of a pub_sub queue (each gets every message), or every block of a
// point_to_point queue (they compete for the messages).
type group []drain

func (g group) value() float64 {
	t := 0.0
	for _, d := range g {
		t += d.value()
	}
	return t
}

func (g group) text() string {
	parts := make([]string, len(g))
	for i, d := range g {
		parts[i] = d.text()
		if len(g) > 1 {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, " + ")
}

func (g group) consumers() string {
	names := make([]string, len(g))
	for i, d := range g {
		names[i] = d.cs.Consumer.Addr
	}
	return formula.List(names)
}

// groups splits the queue's consume blocks that declare a rate into groups.
func groups(d *lang.Design, q *lang.Component) []group {
	var out []group
	for _, blocks := range analyze.ConsumerGroups(d, q) {
		g := make(group, len(blocks))
		for i, cs := range blocks {
			g[i] = newDrain(cs)
		}
		out = append(out, g)
	}
	return out
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
		gs := groups(pass.Design, q)
		slowest := math.Inf(1)
		for _, g := range gs {
			out := g.value()
			slowest = math.Min(slowest, out)
			if in > 0 && out < in {
				pass.Report(slower(q, g, in, out))
			}
		}
		if in > 0 && len(gs) > 0 && slowest > in && outage > 0 {
			backlog(pass, q, in, slowest, outage)
		}
		for _, cs := range pass.Design.Consumers(q) {
			if cs.Consumer == nil {
				continue
			}
			if d := newDrain(cs); d.partitionBound() {
				pass.Report(idle(q, d))
			}
		}
	}
	return nil
}

// slower is the error of a consumer group that drains less than the
// producers write.
func slower(q *lang.Component, g group, in, out float64) analyze.Finding {
	first := g[0]
	rng, fix := consumeRange(first.cs, "workers"), "raise workers or the consumer's replicas"
	if first.partitionBound() {
		rng, fix = q.Range("partitions"), "raise partitions (the workers beyond them are idle)"
	}
	return analyze.Finding{
		Severity: analyze.Error,
		Message: fmt.Sprintf("consumers slower than producers: drain = %s = %s msg/s < %s msg/s written to %s: the backlog grows by %s msg/s without bound",
			g.text(), formula.Num(out), formula.Num(in), q.Addr, formula.Num(in-out)),
		Detail: fmt.Sprintf("%s process at most %s msg/s of the %s msg/s the producers write. To keep up, %s, or raise rate (messages one worker handles per second). "+
			"Consumers must carry the producers' rate with headroom to drain the backlog an outage leaves.",
			g.consumers(), formula.Num(out), formula.Num(in), fix),
		Subject: q.Addr,
		Key:     "consumers slower than producers: " + g.consumers(),
		Cause:   analyze.Cause("queue-slower", q.Addr),
		Range:   rng,
		Related: []analyze.Related{{Message: "the consume block", Range: first.cs.DeclRange}},
		Data:    map[string]any{"in_rps": in, "drain_rps": out, "growth_rps": in - out, "consumers": g.consumers()},
	}
}

// backlog reports what a consumer outage leaves behind when the queue
// cannot hold it: messages older than retention (more messages than
// max_depth are the backpressure rule's).
func backlog(pass *analyze.Pass, q *lang.Component, in, out, outage float64) {
	msgs, dt := analyze.Backlog(in, out, outage)
	pile := fmt.Sprintf("after a %s consumer outage, backlog = %s msg/s × %s = %s messages (drained in %s / (%s − %s msg/s) = %s)",
		secs(outage), formula.Num(in), secs(outage), formula.Num(msgs), formula.Num(msgs), formula.Num(out), formula.Num(in), secs(dt))
	data := func() map[string]any {
		return map[string]any{"in_rps": in, "drain_rps": out, "outage_s": outage, "backlog": msgs, "drain_s": dt}
	}
	if ret := q.Retention.Seconds(); ret > 0 && outage > ret {
		d := data()
		d["retention_s"] = ret
		d["lost"] = in * (outage - ret)
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("%s; the oldest message waits %s > retention %s: %s messages expire unconsumed",
				pile, secs(outage), secs(ret), formula.Num(in*(outage-ret))),
			Detail: fmt.Sprintf("The queue is first in, first out, so the oldest message of the backlog waits the whole outage (messages that arrive later wait less, even while the backlog drains). "+
				"Every message older than retention is deleted before a consumer reads it: the first %s of the outage are lost. Raise retention above %s.",
				secs(outage-ret), secs(outage)),
			Subject: q.Addr,
			Key:     "backlog outlives retention",
			Range:   q.Range("retention"),
			Data:    d,
		})
	}
}

// idle is the info finding of workers beyond the partitions.
func idle(q *lang.Component, d drain) analyze.Finding {
	n := instances(d.cs.Consumer)
	return analyze.Finding{
		Severity: analyze.Info,
		Message: fmt.Sprintf("%d %s × %d %s = %d workers > %d partitions of %s: %d workers idle",
			max(d.cs.Workers, 1), plural(max(d.cs.Workers, 1), "worker"), n, plural(n, "instance"), d.workers, d.partitions, q.Addr, d.workers-d.partitions),
		Detail:  idleDetail(d),
		Subject: d.cs.Consumer.Addr,
		Key:     "idle workers on " + q.Addr,
		Range:   consumeRange(d.cs, "workers"),
		Related: []analyze.Related{{Message: "the queue's partitions", Range: q.Range("partitions")}},
		Data:    map[string]any{"workers": d.workers, "partitions": d.partitions, "idle": d.workers - d.partitions, "drain_rps": d.value()},
	}
}

func idleDetail(d drain) string {
	s := "A partition feeds one worker of a consumer group at a time"
	if d.rate > 0 {
		s += fmt.Sprintf(", so %s drains at most %d × %s msg/s = %s msg/s", d.cs.Consumer.Addr, d.partitions, formula.Num(d.rate), formula.Num(d.value()))
	}
	return s + fmt.Sprintf(". Lower workers to what the partitions serve, or raise partitions to %d to use them all.", d.workers)
}

// consumeRange is the range of a consume block's attribute, or the block's
// when it is not written.
func consumeRange(cs *lang.Consume, attr string) hcl.Range {
	if r, ok := cs.Ranges[attr]; ok {
		return r
	}
	return cs.DeclRange
}

// secs writes seconds: "600 s"; +Inf as "forever".
func secs(s float64) string {
	if math.IsInf(s, 1) {
		return "forever"
	}
	return formula.Num(s) + " s"
}
