package render

import (
	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// fixture is a hand-built design in the shape of the shop (LANGUAGE.md) with
// a queue, a consumer and an external added, and hand-written analysis
// figures, so that the drawing code is tested apart from the decoder and the
// analysis engine.
func fixture() Input {
	rng := func(start, end int) hcl.Range {
		return hcl.Range{Filename: "fixture.arch.hcl", Start: hcl.Pos{Byte: start, Line: 1, Column: 1}, End: hcl.Pos{Byte: end, Line: 1, Column: 1}}
	}
	r1 := &lang.Region{Name: "r1"}
	var zones []*lang.Zone
	for _, n := range []string{"a", "b", "c"} {
		zones = append(zones, &lang.Zone{Name: n, Region: r1})
	}
	r1.Zones = zones
	comp := func(kind lang.Kind, name string, start int) *lang.Component {
		return &lang.Component{Kind: kind, Name: name, Addr: string(kind) + "." + name, Replicas: 1,
			Availability: 0.999, MaxUtilization: 0.8, ReadRatio: 1, Shards: 1,
			DeclRange: rng(start, start+10), Ranges: lang.Ranges{}}
	}
	web := comp(lang.KindClient, "web", 0)
	web.RPS, web.ReadRatio = 10000, 0.9
	edge := comp(lang.KindLoadBalancer, "edge", 100)
	edge.Replicas, edge.Zones = 2, []string{"a", "b"}
	api := comp(lang.KindService, "api", 200)
	api.Replicas, api.Zones, api.CapacityRPS = 12, []string{"a", "b", "c"}, 1000
	sessions := comp(lang.KindCache, "sessions", 400)
	sessions.Engine, sessions.Strategy, sessions.HitRatio = "redis", "cache_aside", 0.8
	orders := comp(lang.KindDatabase, "orders", 500)
	orders.Engine = "postgres"
	orders.Replication = lang.Replication{Mode: "async", Replicas: 2, ReadFrom: "replicas", Failover: "manual"}
	sessions.Origin = orders
	sessions.Ranges["origin"] = rng(450, 470)
	events := comp(lang.KindQueue, "events", 600)
	events.Engine, events.Pattern = "kafka", "point_to_point"
	worker := comp(lang.KindService, "worker \"quoted\" <b>", 700)
	worker.Addr = "service.worker"
	worker.Zones = []string{"a"}
	payments := comp(lang.KindExternal, "payments", 800)

	call := func(from, to *lang.Component, op lang.Op, start int) *lang.Call {
		c := &lang.Call{From: from, To: to, Index: len(from.Calls), Op: op, PerRequest: 1, Mode: "sync",
			Required: true, Weight: 1, DeclRange: rng(start, start+20), Ranges: lang.Ranges{}}
		from.Calls = append(from.Calls, c)
		return c
	}
	call(web, edge, lang.OpReadWrite, 20)
	call(edge, api, lang.OpReadWrite, 120)
	toCache := call(api, sessions, lang.OpRead, 220)
	toCache.Required = false
	toCache.Consistency = lang.ReadYourWrites
	call(api, orders, lang.OpWrite, 250)
	toEvents := call(api, events, lang.OpWrite, 280)
	toEvents.Mode = "async"
	toPay := call(api, payments, lang.OpWrite, 310)
	toPay.Required = false
	worker.Consumes = []*lang.Consume{{Consumer: worker, Queue: events, Workers: 4, Rate: 100}}

	d := &lang.Design{
		Dir:        "fixture",
		System:     &lang.System{Name: "shop"},
		Regions:    []*lang.Region{r1},
		Zones:      zones,
		Components: []*lang.Component{web, edge, api, sessions, orders, events, worker, payments},
	}
	d.Index()

	load := func(read, write, util float64) *analyze.Load {
		return &analyze.Load{Read: read, Write: write, Utilization: util}
	}
	res := &analyze.Results{
		Design: d,
		Nominal: &analyze.Scenario{Name: "nominal", Kind: "nominal", Load: map[string]*analyze.Load{
			"client.web":         load(9000, 1000, 0),
			"load_balancer.edge": load(9000, 1000, 0),
			"service.api":        load(9000, 1000, 10000.0/12/1000),
			"cache.sessions":     load(9000, 0, 0),
			"database.orders":    load(1800, 1000, 0.5),
			"queue.events":       load(0, 1000, 0),
			"service.worker":     load(0, 1000, 0),
			"external.payments":  load(0, 1000, 0),
		}},
		Components: map[string]*analyze.ComponentResult{},
		Flows:      map[string]*analyze.FlowResult{},
		FlowOrder:  []string{"browse", "order"},
	}
	for _, c := range d.Components {
		res.Components[c.Addr] = &analyze.ComponentResult{Component: c, Load: res.Nominal.Load[c.Addr],
			Availability: 0.999, K: 1, N: c.Replicas, LatencyMean: 1, LatencyP99: 4.6}
	}
	// Eight nines, which four decimals of a percentage would print as 100%.
	res.Components["load_balancer.edge"].Availability = 0.99999999
	res.Flows["browse"] = &analyze.FlowResult{Name: "browse", Entry: web, Op: lang.OpRead, RPS: 10000, ReadRPS: 9000,
		Availability: 0.998793, LatencyMean: 23.0019, LatencyP99: 90,
		Flow: &lang.Flow{Name: "browse", Entry: web, Op: lang.OpRead, SLO: lang.SLO{Availability: 0.9995, LatencyP99: 200e6}},
		Hops: []*analyze.Hop{
			{Component: web, Required: true},
			{Component: edge, Via: web.Calls[0], From: web, Required: true},
			{Component: api, Via: edge.Calls[0], From: edge, Required: true},
			{Component: sessions, Via: toCache, From: api, Soft: true, Required: true},
			{Component: orders, Origin: true, From: sessions, Required: true, Role: lang.RoleReplica},
		}}
	res.Flows["order"] = &analyze.FlowResult{Name: "order", Entry: web, Op: lang.OpWrite, RPS: 10000, WriteRPS: 1000,
		Availability: 0.999293, LatencyMean: 26.0379, LatencyP99: 120,
		Flow: &lang.Flow{Name: "order", Entry: web, Op: lang.OpWrite, SLO: lang.SLO{Availability: 0.9995, LatencyP99: 200e6}},
		Hops: []*analyze.Hop{
			{Component: web, Required: true},
			{Component: edge, Via: web.Calls[0], From: web, Required: true},
			{Component: api, Via: edge.Calls[0], From: edge, Required: true},
			{Component: orders, Via: api.Calls[1], From: api, Required: true, Role: lang.RolePrimary},
		}}
	findings := []analyze.Finding{
		{Rule: "spof", Severity: analyze.Error, Subject: "database.orders", Message: "the primary of database.orders is a single point of failure for flow order", Range: orders.DeclRange},
		{Rule: "capacity", Severity: analyze.Warning, Subject: "service.api", Message: "utilization = 10000 rps / (12 × 1000 rps) = 0.833 > 0.8", Range: api.DeclRange,
			Grouped: []analyze.Finding{{Rule: "no-capacity", Severity: analyze.Info, Subject: "service.api", Message: "a folded note", Range: api.DeclRange}}},
		{Rule: "consistency", Severity: analyze.Error, Subject: "flow.browse", Message: "flow browse needs read_your_writes but reads through a 60 s TTL cache", Range: rng(225, 230)},
		{Rule: "consistency", Severity: analyze.Error, Subject: "cache.sessions", Message: "reads of async replicas", Range: rng(455, 460)},
		{Rule: "spof", Severity: analyze.Error, Subject: "cache.sessions", Message: "suppressed one", Range: sessions.DeclRange,
			Suppressed: &analyze.Suppression{Rules: []string{"spof"}, Reason: "test"}},
	}
	suite := []*analyze.Analyzer{{ID: "spof", Problem: analyze.Noun{One: "single point of failure", Many: "single points of failure"}}}
	return Input{Design: d, Results: res, Findings: findings, Suite: suite}
}
