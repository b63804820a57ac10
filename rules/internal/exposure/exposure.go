// Package exposure works out what the internet reaches in a design: one
// traversal of the call graph from the public trust zone, shared by the
// security rules (public-datastore, public-admin, public-auth,
// public-rate-limit). It is linear in the design's size: every component and
// every call is visited at most once per traversal, and the path to a
// component is read back through the call that first reached it.
package exposure

import (
	"strings"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// Exposure is what the internet reaches.
type Exposure struct {
	// reached holds every component reached from the public zone through
	// public and dmz components only, with the call that first reached it
	// (the component it was reached from; nil for a component exposed by
	// its own zone).
	reached map[*lang.Component]*lang.Component
	order   []*lang.Component
	// entries are the first gateways and services behind the public zone
	// and the pass-through tiers (CDNs, load balancers), in the order
	// reached; entryVia holds the call that first reached each, unlimited
	// the call that reached it through no rate_limit (nil when every way
	// in is limited).
	entries   []*lang.Component
	entryVia  map[*lang.Component]*lang.Component
	unlimited map[*lang.Component]*lang.Component
	through   map[*lang.Component]*lang.Component // pass-through traversal's parents
	free      map[*lang.Component]*lang.Component // the unlimited traversal's parents
}

// Exposed reports whether a component's own zone is one the internet
// reaches: public or dmz.
func Exposed(c *lang.Component) bool {
	return c.TrustZone == lang.ZonePublic || c.TrustZone == lang.ZoneDMZ
}

// ZoneRange is where an exposed component's trust zone is set: its
// trust_zone, else its public attribute, else def (the zone comes from the
// kind).
func ZoneRange(c *lang.Component, def hcl.Range) hcl.Range {
	switch {
	case c.Has("trust_zone"):
		return c.Range("trust_zone")
	case c.Has("public"):
		return c.Range("public")
	}
	return def
}

// passThrough reports whether a component forwards requests without
// authenticating them: CDNs, load balancers, and anything in the public zone.
func passThrough(c *lang.Component) bool {
	return c.Kind == lang.KindCDN || c.Kind == lang.KindLoadBalancer || c.TrustZone == lang.ZonePublic
}

// Compute traverses d once from its public zone.
func Compute(d *lang.Design) *Exposure {
	e := &Exposure{
		reached:   map[*lang.Component]*lang.Component{},
		entryVia:  map[*lang.Component]*lang.Component{},
		unlimited: map[*lang.Component]*lang.Component{},
		through:   map[*lang.Component]*lang.Component{},
		free:      map[*lang.Component]*lang.Component{},
	}
	// Reach: from exposed components along every call and consume edge;
	// a private or data component is reached but not expanded (it is the
	// tier that stands between the internet and what is behind it). The
	// public zone is seeded first, so that a path starts on the internet
	// where it can; dmz components nothing public calls come next.
	var queue []*lang.Component
	visit := func(t, via *lang.Component) {
		if _, ok := e.reached[t]; ok || t == nil {
			return
		}
		e.reached[t] = via
		e.order = append(e.order, t)
		queue = append(queue, t)
	}
	drain := func() {
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			if !Exposed(c) {
				continue
			}
			for _, call := range c.Calls {
				visit(call.To, c)
			}
			for _, cs := range c.Consumes {
				visit(cs.Queue, c)
			}
		}
	}
	for _, seed := range seeds(d, true) {
		for _, c := range seed {
			visit(c, nil)
		}
		drain()
	}
	e.walkEntries(d)
	return e
}

// walkEntries finds the public entries: from the public zone through
// pass-through tiers to the first gateway or service (or a component with
// public = true). Two traversals: every way in, and the ways in that pass
// no rate_limit.
func (e *Exposure) walkEntries(d *lang.Design) {
	isEntry := func(c *lang.Component) bool {
		return (c.Kind == lang.KindGateway || c.Kind == lang.KindService) && c.TrustZone != lang.ZonePublic
	}
	walk := func(parents map[*lang.Component]*lang.Component, stop func(*lang.Component) bool, found func(t, via *lang.Component)) {
		for _, seed := range seeds(d, false) {
			var queue []*lang.Component
			for _, c := range seed {
				if _, ok := parents[c]; !ok {
					parents[c] = nil
					queue = append(queue, c)
				}
			}
			for len(queue) > 0 {
				c := queue[0]
				queue = queue[1:]
				for _, call := range c.Calls {
					t := call.To
					if t == nil {
						continue
					}
					if _, ok := parents[t]; ok {
						continue
					}
					parents[t] = c
					switch {
					case isEntry(t):
						found(t, c)
					case passThrough(t) && !stop(t):
						queue = append(queue, t)
					}
				}
			}
		}
	}
	walk(e.through, func(*lang.Component) bool { return false }, func(t *lang.Component, via *lang.Component) {
		e.entries = append(e.entries, t)
		e.entryVia[t] = via
	})
	for _, c := range d.Components {
		if c.Public && isEntry(c) {
			if _, ok := e.entryVia[c]; !ok {
				e.entries = append(e.entries, c)
				e.entryVia[c] = nil
			}
		}
	}
	walk(e.free, func(c *lang.Component) bool { return c.RateLimit != nil }, func(t *lang.Component, via *lang.Component) {
		e.unlimited[t] = via
	})
	for _, c := range d.Components {
		if c.Public && isEntry(c) {
			if _, ok := e.unlimited[c]; !ok {
				e.unlimited[c] = nil
			}
		}
	}
}

// seeds are where a traversal starts, in rounds: the public components no
// public component calls (clients, mostly), then the other public ones, then
// (with dmz) the dmz components, so that a path starts on the internet where
// it can.
func seeds(d *lang.Design, dmz bool) [][]*lang.Component {
	calledFromPublic := map[*lang.Component]bool{}
	for _, c := range d.Components {
		if c.TrustZone == lang.ZonePublic {
			for _, call := range c.Calls {
				if call.To != nil && call.To != c {
					calledFromPublic[call.To] = true
				}
			}
		}
	}
	var sources, others, edge []*lang.Component
	for _, c := range d.Components {
		switch {
		case c.TrustZone == lang.ZonePublic && !calledFromPublic[c]:
			sources = append(sources, c)
		case c.TrustZone == lang.ZonePublic:
			others = append(others, c)
		case c.TrustZone == lang.ZoneDMZ && dmz:
			edge = append(edge, c)
		}
	}
	return [][]*lang.Component{sources, others, edge}
}

// Reached returns the components reached from the internet through public
// and dmz components only, in the order reached (the exposed ones first).
func (e *Exposure) Reached() []*lang.Component { return e.order }

// AdminReached reports whether the internet reaches c, an endpoint for
// operators or other services (a role that keeps it off user flows: admin,
// telemetry, discovery, config) that is not a bought service's: what rule
// public-admin reports.
func (e *Exposure) AdminReached(c *lang.Component) bool {
	_, ok := e.reached[c]
	return ok && c.Role.OffFlow() && c.Kind != lang.KindExternal
}

// Path is how the internet reaches c: the components from a public or dmz
// one to c, joined with arrows ("client.web → load_balancer.edge →
// database.orders"); "" when c is not reached.
func (e *Exposure) Path(c *lang.Component) string {
	if _, ok := e.reached[c]; !ok {
		return ""
	}
	return path(e.reached, c)
}

// Entries returns the public entries in the order reached: the gateways and
// services the internet reaches through CDNs and load balancers only, and
// those with public = true.
func (e *Exposure) Entries() []*lang.Component { return e.entries }

// EntryPath is the way in to an entry: "client.web → load_balancer.edge →
// service.api", or "the internet → service.api (public = true)".
func (e *Exposure) EntryPath(c *lang.Component) string {
	if e.entryVia[c] == nil {
		return "the internet → " + c.Addr + " (public = true)"
	}
	return path(e.through, c)
}

// Unlimited reports whether some way in to the entry c passes no
// rate_limit (c's own included), and that way.
func (e *Exposure) Unlimited(c *lang.Component) (string, bool) {
	via, ok := e.unlimited[c]
	if !ok || c.RateLimit != nil {
		return "", false
	}
	if via == nil {
		return "the internet → " + c.Addr + " (public = true)", true
	}
	return path(e.free, c), true
}

func path(parents map[*lang.Component]*lang.Component, c *lang.Component) string {
	var rev []string
	seen := map[*lang.Component]bool{}
	for c != nil && !seen[c] {
		seen[c] = true
		rev = append(rev, c.Addr)
		c = parents[c]
	}
	var sb strings.Builder
	for i := len(rev) - 1; i >= 0; i-- {
		sb.WriteString(rev[i])
		if i > 0 {
			sb.WriteString(" → ")
		}
	}
	return sb.String()
}
