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

// classRates returns the read and write rates a component handles, for
// working out what it sends on. A client sends its rps, split by read_ratio.
func (v *view) classRates(c *lang.Component) (read, write float64) {
	if l := v.load(c); l != nil && l.Total() > 0 {
		return l.Read, l.Write
	}
	if c.Kind == lang.KindClient {
		return c.RPS * c.ReadRatio, c.RPS * (1 - c.ReadRatio)
	}
	return 0, 0
}

// callRate is the requests per second one call (edge) carries in the
// nominal case: the caller's traffic of the call's class times per_request.
// A CDN passes on (1 − hit_ratio) of what it receives; a load balancer
// splits its traffic over its backends by weight.
func (v *view) callRate(call *lang.Call) float64 {
	from := call.From
	read, write := v.classRates(from)
	rate := 0.0
	if call.Op.Matches(lang.OpRead) {
		rate += read
	}
	if call.Op.Matches(lang.OpWrite) {
		rate += write
	}
	switch from.Kind {
	case lang.KindCDN:
		rate *= 1 - from.HitRatio
	case lang.KindLoadBalancer:
		total := 0.0
		for _, c := range from.Calls {
			total += c.Weight
		}
		if total > 0 {
			rate *= call.Weight / total
		}
		return rate
	}
	return rate * call.PerRequest
}

// originRate is what a cache sends to its origin: read misses, and writes
// for write_through and write_back caches.
func (v *view) originRate(c *lang.Component) float64 {
	read, write := v.classRates(c)
	rate := read * (1 - c.HitRatio)
	if c.Strategy == "write_through" || c.Strategy == "write_back" {
		rate += write
	}
	return rate
}

// consumeRate is what a consumer takes from a queue: the queue's load, all of
// it for each consumer of a pub_sub queue, an even share otherwise.
func (v *view) consumeRate(cs *lang.Consume) float64 {
	l := v.load(cs.Queue)
	if l == nil {
		return 0
	}
	n := len(v.d.Consumers(cs.Queue))
	if cs.Queue.Pattern == "pub_sub" || n == 0 {
		return l.Total()
	}
	return l.Total() / float64(n)
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

// fmtPercent prints a ratio as a percentage: 0.8333 → "83%".
func fmtPercent(u float64) string {
	return strconv.FormatFloat(math.Round(u*100), 'f', -1, 64) + "%"
}

// figureText is a node's analysis line: "10000 rps · 83% util".
func (v *view) figureText(c *lang.Component) string {
	if !v.analysis {
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
	return s
}
