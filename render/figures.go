package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// The figures a diagram shows, derived from the design and the nominal
// analysis. Every diagram format and the report use these, so they agree.

// instancesText says how many instances a component runs: "12 replicas",
// "1 primary + 2 replicas", "3 quorum members", "4 shards × (1 primary + 1 replica)".
func instancesText(c *lang.Component) string {
	if c.Kind == lang.KindClient || c.Kind == lang.KindExternal {
		return ""
	}
	if c.Kind != lang.KindDatabase {
		return plural(c.Replicas, "replica")
	}
	var one string
	switch {
	case c.Quorum != nil && c.Quorum.N > 0:
		one = plural(c.Quorum.N, "quorum member")
	case c.Replication.Replicas > 0:
		one = "1 primary + " + plural(c.Replication.Replicas, "replica")
	default:
		one = "1 primary"
	}
	if c.Shards > 1 {
		return fmt.Sprintf("%d shards × (%s)", c.Shards, one)
	}
	return one
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// kindText is the kind with its engine: "database · postgres".
func kindText(c *lang.Component) string {
	k := strings.ReplaceAll(string(c.Kind), "_", " ")
	if c.Engine != "" {
		return k + " · " + c.Engine
	}
	return k
}

// zonesText lists the zones a component runs in ("a, b, c").
func zonesText(c *lang.Component) string {
	if len(c.Zones) == 0 {
		return ""
	}
	return "zones " + strings.Join(c.Zones, ", ")
}

// load returns the nominal load of a component, or nil.
func (v *view) load(c *lang.Component) *analyze.Load {
	if v.res == nil || v.res.Nominal == nil {
		return nil
	}
	return v.res.Nominal.Load[c.Addr]
}

// classRates returns the reads, writes and consumed queue messages a
// component handles, for working out what it sends on. A client sends its
// rps, split by read_ratio.
func (v *view) classRates(c *lang.Component) (read, write, msgs float64) {
	if l := v.load(c); l != nil && l.Total() > 0 {
		return l.Read, l.Write - l.Messages, l.Messages
	}
	if c.Kind == lang.KindClient {
		rr := math.Min(1, math.Max(0, c.ReadRatio))
		return c.RPS * rr, c.RPS * (1 - rr), 0
	}
	return 0, 0, 0
}

// callRate is the requests per second one call (edge) carries in the
// nominal case, by the analysis's traffic rules (analyze.Compute): for each
// class the call's op carries, the caller's traffic of that class × the
// call's share of it × per_request. A load balancer splits each class over
// the backends that carry it (by weight for algorithm "weighted", evenly
// otherwise); a CDN or cache passes on only its read misses; each message a
// component consumes from a queue is one request on each of its calls.
func (v *view) callRate(call *lang.Call) float64 {
	from := call.From
	read, write, msgs := v.classRates(from)
	passRead := 1.0
	if from.Kind == lang.KindCDN || from.Kind == lang.KindCache {
		passRead = 1 - math.Min(1, math.Max(0, from.HitRatio))
	}
	shareRead, shareWrite := lbShare(from, call, lang.OpRead), lbShare(from, call, lang.OpWrite)
	rate := 0.0
	if call.Op.Matches(lang.OpRead) {
		rate += read * passRead * shareRead
	}
	if call.Op.Matches(lang.OpWrite) {
		rate += write * shareWrite
	}
	return (rate + msgs) * call.PerRequest * v.tries(call)
}

// tries is the call's expected tries per call (its retries after
// timeouts, from the analysis), 1 for a call without a timeout.
func (v *view) tries(call *lang.Call) float64 {
	if v.res == nil {
		return 1
	}
	for _, rr := range v.res.Retries {
		if rr.Call == call && rr.Tries > 0 {
			return rr.Tries
		}
	}
	return 1
}

// lbShare is the share of a class of a load balancer's traffic one backend
// call carries (1 for any other component).
func lbShare(from *lang.Component, call *lang.Call, class lang.Op) float64 {
	if from.Kind != lang.KindLoadBalancer {
		return 1
	}
	weight := func(c *lang.Call) float64 {
		if from.Algorithm == "weighted" {
			return math.Max(c.Weight, 0)
		}
		return 1
	}
	total := 0.0
	for _, c := range from.Calls {
		if c.Op.Matches(class) {
			total += weight(c)
		}
	}
	if total == 0 {
		return 0
	}
	return weight(call) / total
}

// originRate is what a cache sends to its origin: read misses, and writes
// for write_through and write_back caches.
func (v *view) originRate(c *lang.Component) float64 {
	read, write, msgs := v.classRates(c)
	rate := read * (1 - math.Min(1, math.Max(0, c.HitRatio)))
	if c.Strategy == "write_through" || c.Strategy == "write_back" {
		rate += write + msgs
	}
	return rate
}

// consumeRate is what a consumer takes from a queue: the queue's load (all
// of it for each consumer of a pub_sub queue, an even share otherwise), at
// most what its workers can process (analyze.ConsumeCapacity).
func (v *view) consumeRate(cs *lang.Consume) float64 {
	l := v.load(cs.Queue)
	if l == nil {
		return 0
	}
	share := 1.0
	if n := len(v.d.Consumers(cs.Queue)); cs.Queue.Pattern == "point_to_point" && n > 0 {
		share = 1 / float64(n)
	}
	return math.Min(l.Total()*share, analyze.ConsumeCapacity(cs, cs.Queue))
}

// fmtRate prints a rate without needless digits: 10000, 45.5, 0.25.
func fmtRate(r float64) string {
	switch {
	case r >= 100 || r == math.Trunc(r):
		return strconv.FormatFloat(math.Round(r), 'f', -1, 64)
	case r >= 10:
		return strconv.FormatFloat(r, 'f', 1, 64)
	default:
		return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(r, 'f', 2, 64), "0"), ".")
	}
}

// fmtPercent prints a ratio as a percentage: 0.8333 → "83%", 0.001 → "<1%".
func fmtPercent(u float64) string {
	if u > 0 && u < 0.005 {
		return "<1%"
	}
	return strconv.FormatFloat(math.Round(u*100), 'f', -1, 64) + "%"
}

// figureText is a node's analysis line: "10000 rps · 83% util".
func (v *view) figureText(c *lang.Component) string {
	if m := v.marks[c.Addr]; m != nil && m.down {
		return "✗ DOWN in this scenario"
	}
	if !v.rates {
		return ""
	}
	l := v.load(c)
	if l == nil {
		if c.Kind == lang.KindClient && c.RPS > 0 {
			return fmtRate(c.RPS) + " rps"
		}
		return ""
	}
	s := fmtRate(l.Total()) + " rps"
	if c.Kind == lang.KindClient && l.Total() == 0 {
		s = fmtRate(c.RPS) + " rps"
	}
	if l.Utilization > 0 {
		s += " · " + fmtPercent(l.Utilization) + " util"
	}
	if m := v.marks[c.Addr]; m != nil && m.over {
		s += " · OVER CAPACITY"
	}
	return s
}

// originLabel labels a cache's origin edge: "misses 1800 rps".
func (v *view) originLabel(c *lang.Component) string {
	if !v.rates {
		return "misses"
	}
	return "misses " + fmtRate(v.originRate(c)) + " rps"
}

// consumeLabel labels a queue's edge to a consumer: "consumes 400 msg/s".
func (v *view) consumeLabel(cs *lang.Consume) string {
	if !v.rates {
		return "consumes"
	}
	return "consumes " + fmtRate(v.consumeRate(cs)) + " msg/s"
}
