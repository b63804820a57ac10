// Package connectionpool is the rule that checks a database's
// max_connections against the requests in flight at each of its instances,
// by Little's law.
package connectionpool

import (
	_ "embed"
	"fmt"
	"math"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the connection-pool rule.
var Analyzer = &analyze.Analyzer{
	ID:       "connection-pool",
	Summary:  "requests in flight at a database instance (Little's law: arrival rate × mean sojourn) above its max_connections",
	Problem:  analyze.Noun{One: "database short of connections", Many: "databases short of connections"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// InFlight is Little's law per instance: a queue of instances that receives
// lambda per second and keeps each request mean seconds holds lambda × mean
// requests, spread over its instances.
func InFlight(lambda, mean float64, instances int) float64 {
	return analyze.LittleInFlight(lambda, mean) / float64(max(instances, 1))
}

// busiest is the queue of a database whose instances hold the most requests.
type busiest struct {
	label     string
	lambda    float64 // rps into the queue
	mean      float64 // ms
	instances int
	inFlight  float64 // per instance
	unstable  bool
}

// busiestQueue finds it among the component's queues, or, for a database
// without a queueing model (no capacity_rps), among its instances as pure
// delays of its latency.
func busiestQueue(c *lang.Component, cr *analyze.ComponentResult) (busiest, bool) {
	var b busiest
	found := false
	if len(cr.Queues) > 0 {
		conc := max(1, int(math.Round(c.CapacityRPS*c.Latency.Seconds())))
		for _, q := range cr.Queues {
			n := max(q.Servers/conc, 1)
			x := busiest{label: label(c, q.Role, q.Shard), lambda: q.Lambda, mean: q.ResponseMean, instances: n,
				inFlight: InFlight(q.Lambda, q.ResponseMean/1000, n), unstable: q.Unstable}
			if !found || x.unstable && !b.unstable || x.unstable == b.unstable && x.inFlight > b.inFlight {
				b, found = x, true
			}
		}
		return b, found
	}
	lat := c.Latency.Seconds()
	if lat <= 0 || cr.Load == nil {
		return b, false
	}
	for i, v := range cr.Load.Instances {
		if v <= 0 || i >= len(c.Instances) {
			continue
		}
		if x := InFlight(v, lat, 1); !found || x > b.inFlight {
			in := c.Instances[i]
			b = busiest{label: label(c, in.Role, in.Shard), lambda: v, mean: lat * 1000, instances: 1, inFlight: x}
			found = true
		}
	}
	return b, found
}

// label names the instances of a queue: "database.orders primary",
// "database.users shard 2 replicas".
func label(c *lang.Component, role lang.Role, shard int) string {
	return formula.Share{Role: role, Shard: shard}.Label(c)
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil {
		return nil
	}
	for _, c := range pass.Design.Components {
		cr := r.Components[c.Addr]
		if c.Kind != lang.KindDatabase || c.MaxConnections <= 0 || cr == nil || cr.Load == nil || cr.Load.Total() <= 0 {
			continue
		}
		b, ok := busiestQueue(c, cr)
		if !ok || !b.unstable && b.inFlight <= float64(c.MaxConnections) {
			continue
		}
		formulaText := fmt.Sprintf("in-flight = %s × %s", formula.Rate(b.lambda), formula.Millis(b.mean))
		if b.instances > 1 {
			formulaText += fmt.Sprintf(" / %d instances", b.instances)
		}
		var msg string
		if b.unstable {
			msg = fmt.Sprintf("in-flight requests at %s grow without bound (utilization ≥ 1) past max_connections %d", b.label, c.MaxConnections)
		} else {
			msg = fmt.Sprintf("%s = %s per instance of %s > max_connections %d", formulaText, formula.Num(b.inFlight), b.label, c.MaxConnections)
		}
		data := map[string]any{"lambda_rps": b.lambda, "mean_ms": b.mean, "instances": b.instances, "max_connections": c.MaxConnections}
		if !b.unstable {
			data["in_flight"] = b.inFlight
		}
		pass.Report(analyze.Finding{
			Message: msg,
			Detail:  detail(c, b),
			Subject: c.Addr,
			Key:     "in-flight over max_connections: " + b.label,
			Range:   c.Range("max_connections"),
			Data:    data,
		})
	}
	return nil
}

func detail(c *lang.Component, b busiest) string {
	s := fmt.Sprintf("By Little's law an instance that receives λ requests per second and keeps each for R on average holds λ × R of them at once, each on its own connection. "+
		"Past max_connections = %d, requests wait for a connection or are refused, and the wait adds to R.", c.MaxConnections)
	if b.unstable {
		return s + " The instances cannot keep up with their load at all (see the capacity rule): add capacity first."
	}
	return s + fmt.Sprintf(" Raise max_connections to at least %s (with headroom: this is the mean, bursts hold more), "+
		"add replicas to spread the load, or cut the time each request holds its connection.", formula.Num(math.Ceil(b.inFlight)))
}
