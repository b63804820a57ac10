package analyze

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

func loadExample(t *testing.T, dir string) *lang.Design {
	t.Helper()
	d, diags := lang.Load("../testdata/"+dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("%s: %v", dir, diags)
	}
	return d
}

func whatIf(t *testing.T, d *lang.Design, fails, scales []string) *WhatIfResult {
	t.Helper()
	w, err := ParseWhatIf(d, fails, scales)
	if err != nil {
		t.Fatalf("ParseWhatIf(%q, %q): %v", fails, scales, err)
	}
	return ComputeWhatIf(d, w)
}

func (r *WhatIfResult) tier(t *testing.T, addr string) *TierFigures {
	t.Helper()
	for _, x := range r.Tiers {
		if x.Addr == addr {
			return x
		}
	}
	t.Fatalf("no tier %s", addr)
	return nil
}

func (r *WhatIfResult) flow(t *testing.T, name string) *FlowFigures {
	t.Helper()
	for _, x := range r.Flows {
		if x.Name == name {
			return x
		}
	}
	t.Fatalf("no flow %s", name)
	return nil
}

func wiNear(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !closeRel(got, want, 1e-6) {
		t.Errorf("%s = %.9g, want %.9g", what, got, want)
	}
}

// The shop's scenarios against ORACLES.md: losing a zone leaves api 8 of
// 12 instances at utilization 1.25; the cache down sends 9000 reads to the
// orders replicas (4500 each, utilization 2.25).
func TestWhatIfShopOracles(t *testing.T) {
	d := loadExample(t, "shop")

	r := whatIf(t, d, []string{"zone:a"}, nil)
	api := r.tier(t, "service.api")
	if api.Up != 8 || api.Instances != 12 {
		t.Errorf("api up %d/%d, want 8/12", api.Up, api.Instances)
	}
	wiNear(t, "api utilization, zone a lost", api.Utilization, 1.25)
	wiNear(t, "api nominal utilization", api.Nominal.Utilization, 10000.0/12000)
	wiNear(t, "api nominal headroom", api.Nominal.Headroom, 2000)
	if !api.Changed || !api.Overloaded() {
		t.Errorf("api changed %v overloaded %v, want both", api.Changed, api.Overloaded())
	}
	lb := r.tier(t, "load_balancer.edge")
	if lb.Up != 1 {
		t.Errorf("edge up %d, want 1 (its instances are in a and b)", lb.Up)
	}
	for _, name := range []string{"browse", "order"} {
		f := r.flow(t, name)
		if f.Availability != 0 || len(f.Fails) == 0 || !strings.Contains(f.Fails[0], "service.api is overloaded") {
			t.Errorf("flow %s: availability %v fails %q, want 0 because api is overloaded", name, f.Availability, f.Fails)
		}
		if f.AvailabilityOK == nil || *f.AvailabilityOK {
			t.Errorf("flow %s: availability SLO verdict %v, want missed", name, f.AvailabilityOK)
		}
	}

	r = whatIf(t, d, []string{"cache.sessions"}, nil)
	cache := r.tier(t, "cache.sessions")
	if cache.Rerouted != "→ database.orders" || cache.Up != 0 {
		t.Errorf("cache: rerouted %q up %d, want → database.orders, 0", cache.Rerouted, cache.Up)
	}
	orders := r.tier(t, "database.orders")
	wiNear(t, "orders load, cache down", orders.Load, 10000)
	wiNear(t, "orders utilization, cache down", orders.Utilization, 2.25)
	ul := r.Under.Components["database.orders"].Load
	wiNear(t, "orders replica 1 load", ul.Instances[1], 4500)

	// Nominal: the first to break as traffic grows is api, at 1.2x.
	r = whatIf(t, d, nil, nil)
	if r.BreaksFirst != "service.api" {
		t.Errorf("breaks first %q, want service.api", r.BreaksFirst)
	}
	wiNear(t, "api break scale", r.tier(t, "service.api").BreakScale, 1.2)
	wiNear(t, "orders break scale", r.tier(t, "database.orders").BreakScale, 2)
	for _, x := range r.Tiers {
		if x.Changed {
			t.Errorf("nominal scenario: %s marked changed", x.Addr)
		}
	}
}

func TestWhatIfScale(t *testing.T) {
	d := loadExample(t, "shop")
	r := whatIf(t, d, nil, []string{"client.web=2x"})
	wiNear(t, "api load x2", r.tier(t, "service.api").Load, 20000)
	wiNear(t, "orders load x2", r.tier(t, "database.orders").Load, 5600)
	wiNear(t, "api break scale x2", r.tier(t, "service.api").BreakScale, 0.6)

	// A flow's traffic grows in its own class: browse reads only.
	r = whatIf(t, d, nil, []string{"flow.browse=+5000rps"})
	web := r.Under.Components["client.web"].Load
	wiNear(t, "reads", web.Read, 14000)
	wiNear(t, "writes", web.Write, 1000)
	wiNear(t, "cache load", r.tier(t, "database.orders").Load, 2800+1000)
	r = whatIf(t, d, nil, []string{"flow.order=3x"})
	wiNear(t, "writes x3", r.Under.Components["client.web"].Load.Write, 3000)
	wiNear(t, "reads kept", r.Under.Components["client.web"].Load.Read, 9000)

	// Several changes combine, in order.
	r = whatIf(t, d, nil, []string{"client.web=2x", "client.web=-5000rps"})
	wiNear(t, "2x then -5000", r.tier(t, "service.api").Load, 15000)

	// The original design is left as it was.
	before := Compute(d).Components["service.api"].Load.Total()
	whatIf(t, d, []string{"zone:a", "cache.sessions"}, []string{"client.web=3x"})
	if after := Compute(d).Components["service.api"].Load.Total(); after != before || d.Component("client.web").RPS != 10000 {
		t.Errorf("the scenario changed the design: api load %v -> %v, web rps %v", before, after, d.Component("client.web").RPS)
	}
	if len(d.Component("service.api").Instances) != 12 || d.Component("service.api").Calls[0].To.Addr != "cache.sessions" {
		t.Errorf("the scenario changed the design's instances or calls")
	}
}

func TestWhatIfFailures(t *testing.T) {
	d := loadExample(t, "shop")

	// Several --fail combine: zones a and b leave api 4 of 12 and edge none.
	r := whatIf(t, d, []string{"zone:a", "zone:b"}, nil)
	if api := r.tier(t, "service.api"); api.Up != 4 {
		t.Errorf("api up %d after zones a and b, want 4", api.Up)
	}
	if lb := r.tier(t, "load_balancer.edge"); !lb.Down || lb.Up != 0 {
		t.Errorf("edge down %v up %d, want down", lb.Down, lb.Up)
	}
	if f := r.flow(t, "browse"); f.Availability != 0 || f.Fails[0] != "load_balancer.edge is down" {
		t.Errorf("browse fails %q, want the edge down first", f.Fails)
	}
	// Nothing reaches past a component that is down.
	wiNear(t, "api load behind a dead edge", r.tier(t, "service.api").Load, 0)

	// A region takes its zones.
	r = whatIf(t, d, []string{"region:r1"}, nil)
	if api := r.tier(t, "service.api"); !api.Down {
		t.Errorf("api not down with its region lost")
	}

	// Losing some instances of a component: its last ones.
	r = whatIf(t, d, []string{"service.api=2"}, nil)
	wiNear(t, "api utilization with 10 of 12", r.tier(t, "service.api").Utilization, 1)
	if f := r.flow(t, "order"); f.Availability != 0 {
		t.Errorf("order availability %v with api at utilization 1, want 0 (up means stable)", f.Availability)
	}
	r = whatIf(t, d, []string{"service.api=1"}, nil)
	wiNear(t, "api utilization with 11 of 12", r.tier(t, "service.api").Utilization, 10000.0/11000)
	if f := r.flow(t, "order"); f.Availability <= 0 || len(f.Fails) > 0 || !f.Changed {
		t.Errorf("order with 11 of 12 api: availability %v fails %q changed %v", f.Availability, f.Fails, f.Changed)
	}

	// The primary lost without automatic failover: writes fail, reads go on.
	r = whatIf(t, d, []string{"database.orders=3"}, nil)
	if o := r.tier(t, "database.orders"); !o.Down {
		t.Errorf("orders not down with its 3 instances lost")
	}
	w := &WhatIf{Fails: []Fail{{Kind: "component", Name: "database.orders", Count: 0}}}
	a := w.Apply(d)
	if !a.Down["database.orders"] {
		t.Errorf("Apply: orders not down")
	}
}

func TestWhatIfPrimaryLost(t *testing.T) {
	b := newBuilder([]string{"a", "b"})
	web := b.comp(lang.KindClient, "web", func(c *lang.Component) { c.RPS = 1000; c.ReadRatio = 0.5 })
	api := b.comp(lang.KindService, "api", nil)
	db := b.comp(lang.KindDatabase, "db", func(c *lang.Component) {
		c.CapacityRPS, c.Latency = 2000, 5e6
		c.Replication = lang.Replication{Mode: "async", Replicas: 2, ReadFrom: "replicas", Failover: "manual"}
		c.Instances = []*lang.Instance{{Component: c, Index: 0, Role: lang.RolePrimary, Zone: "a"},
			{Component: c, Index: 1, Role: lang.RoleReplica, Zone: "b"}, {Component: c, Index: 2, Role: lang.RoleReplica, Zone: "b"}}
	})
	b.call(web, api, nil)
	b.call(api, db, nil)
	b.flow("read", web, lang.OpRead)
	b.flow("write", web, lang.OpWrite)
	b.d.Index()

	r := whatIf(t, b.d, []string{"zone:a"}, nil)
	if f := r.flow(t, "write"); f.Availability != 0 || len(f.Fails) != 1 || !strings.Contains(f.Fails[0], "no primary") {
		t.Errorf("write flow with the primary lost (manual failover): availability %v fails %q", f.Availability, f.Fails)
	}
	if f := r.flow(t, "read"); f.Availability == 0 {
		t.Errorf("read flow failed with the replicas up: %q", f.Fails)
	}

	db.Replication.Failover = "automatic"
	r = whatIf(t, b.d, []string{"zone:a"}, nil)
	if f := r.flow(t, "write"); f.Availability == 0 {
		t.Errorf("write flow failed though a replica is promoted: %q", f.Fails)
	}
	if db.Instances[1].Role != lang.RoleReplica {
		t.Errorf("promotion changed the original design")
	}
	// The promoted replica takes the writes (500 rps), the other the reads.
	wiNear(t, "promoted replica load", r.Under.Components["database.db"].Load.Instances[0], 500)
}

// A call's fallback takes the traffic of a component that is down.
func TestWhatIfFallback(t *testing.T) {
	d := loadExample(t, "distcache")
	r := whatIf(t, d, []string{"cache.pool"}, nil)
	if pool := r.tier(t, "cache.pool"); pool.Rerouted != "→ cache.gutter" {
		t.Errorf("pool rerouted %q, want → cache.gutter", pool.Rerouted)
	}
	if g := r.tier(t, "cache.gutter"); g.Load <= g.Nominal.Load {
		t.Errorf("gutter load %v, nominal %v: the fallback took nothing", g.Load, g.Nominal.Load)
	}
}

func TestWhatIfBadInput(t *testing.T) {
	d := loadExample(t, "shop")
	cases := []struct {
		fail, scale []string
		want        string
	}{
		{[]string{"zone:x"}, nil, `no zone "x" in the design; its zones: a, b, c`},
		{[]string{"zone:aa"}, nil, `no zone "aa"`},
		{[]string{"region:r2"}, nil, `no region "r2" in the design; did you mean "r1"?`},
		{[]string{"zon:a"}, nil, `did you mean "zone"?`},
		{[]string{"cache.sesions"}, nil, `no component "cache.sesions" in the design; did you mean "cache.sessions"?`},
		{[]string{"service.api=13"}, nil, "service.api has 12 instances, so 13 cannot fail"},
		{[]string{"service.api=two"}, nil, `must be a whole number of at least 1, not "two"`},
		{[]string{"service.api=0"}, nil, `must be a whole number of at least 1, not "0"`},
		{nil, []string{"client.wbe=2x"}, `did you mean "client.web"?`},
		{nil, []string{"flow.brwse=2x"}, `no flow "brwse" in the design; did you mean "browse"?`},
		{nil, []string{"client.web=2"}, `"2" is neither a factor (2x) nor a change in rate`},
		{nil, []string{"client.web=twox"}, `"twox" is not a factor`},
		{nil, []string{"client.web=-1x"}, `"-1x" is not a factor`},
		{nil, []string{"client.web=+NaNrps"}, `is not a number of requests per second`},
		{nil, []string{"client.web"}, "want TARGET=FACTORx"},
		{nil, []string{"service.api=2x"}, `not a client: "service.api"`},
	}
	for _, c := range cases {
		_, err := ParseWhatIf(d, c.fail, c.scale)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseWhatIf(%q, %q) = %v, want %q", c.fail, c.scale, err, c.want)
		}
	}
	// Every problem at once.
	_, err := ParseWhatIf(d, []string{"zone:x", "cache.sesions"}, []string{"flow.brwse=2x"})
	var se *ScenarioError
	if !errorsAs(err, &se) || len(se.Problems) != 3 {
		t.Errorf("want 3 problems in one error, got %v", err)
	}
}

func errorsAs(err error, se **ScenarioError) bool {
	s, ok := err.(*ScenarioError)
	*se = s
	return ok
}

func TestWhatIfOutput(t *testing.T) {
	d := loadExample(t, "shop")
	r := whatIf(t, d, []string{"zone:a"}, []string{"client.web=2x"})
	var a, b bytes.Buffer
	if err := WriteWhatIfText(&a, r); err != nil {
		t.Fatal(err)
	}
	WriteWhatIfText(&b, whatIf(t, d, []string{"zone:a"}, []string{"client.web=2x"}))
	if a.String() != b.String() {
		t.Errorf("text output differs between runs")
	}
	for _, want := range []string{
		"scenario: zone a lost, client.web x2",
		"* service.api         8/12  20000 [10000]  2.5 OVER [0.833]",
		"breaks first: service.api, already at utilization 2.5",
		"flow browse fails: service.api is overloaded (utilization 2.5)",
	} {
		if !strings.Contains(a.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, a.String())
		}
	}
	a.Reset()
	if err := WriteWhatIfJSON(&a, r); err != nil {
		t.Fatal(err)
	}
	var got struct {
		BreaksFirst struct {
			Component string
			Scale     float64
		} `json:"breaks_first"`
		Tiers []struct {
			Component   string
			Utilization *float64
			Overloaded  bool
		}
		Flows []struct {
			Name        string
			LatencyMean *float64 `json:"latency_mean"`
			Fails       []string
		}
	}
	if err := json.Unmarshal(a.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, a.String())
	}
	if got.BreaksFirst.Component != "service.api" || math.Abs(got.BreaksFirst.Scale-0.4) > 1e-9 {
		t.Errorf("breaks_first %+v", got.BreaksFirst)
	}
	if got.Tiers[0].Utilization != nil || got.Tiers[2].Utilization == nil || *got.Tiers[2].Utilization != 2.5 || !got.Tiers[2].Overloaded {
		t.Errorf("tiers %+v", got.Tiers)
	}
	if got.Flows[0].LatencyMean != nil || len(got.Flows[0].Fails) == 0 {
		t.Errorf("a failing flow has a latency: %+v", got.Flows[0])
	}
}

func TestNewFindings(t *testing.T) {
	nominal := []Finding{{Rule: "capacity", Subject: "service.api", Severity: Warning, Message: "utilization = 0.833 > 0.8"}}
	under := []Finding{
		{Rule: "capacity", Subject: "service.api", Severity: Warning, Message: "utilization = 0.9 > 0.8"},
		{Rule: "capacity", Subject: "service.api", Severity: Error, Message: "utilization = 1.25 > 1"},
		{Rule: "spof", Subject: "cache.sessions", Severity: Error, Message: "x"},
		{Rule: "spof", Subject: "x", Severity: Error, Message: "y", Suppressed: &Suppression{}},
	}
	got := NewFindings(nominal, under)
	if len(got) != 2 || got[0].Message != "utilization = 1.25 > 1" || got[1].Rule != "spof" {
		t.Errorf("NewFindings = %+v", got)
	}
}

// A queue's consumers cap what reaches the tiers behind them: their
// utilization stops growing with the traffic, and the break scale is
// searched rather than 1 / utilization.
func TestWhatIfCappedBreak(t *testing.T) {
	d := loadExample(t, "notifications")
	r := whatIf(t, d, nil, nil)
	router := r.tier(t, "service.router")
	if !router.BreakApprox || !math.IsInf(router.BreakScale, 1) {
		t.Errorf("router: break scale %v (approximate %v), want +Inf: 64 busy workers × 500/s = 32000/s < 9 × 4000", router.BreakScale, router.BreakApprox)
	}
	ingest := r.tier(t, "service.ingest")
	if ingest.BreakApprox {
		t.Errorf("ingest's load is linear in the traffic, but its break scale is marked approximate")
	}
	wiNear(t, "ingest break scale", ingest.BreakScale, 1/ingest.Utilization)
}

// An availability just under 1 keeps its nines in the text, and only 1 is
// written 100%: six fixed decimals wrote 0.99999999 as "1".
func TestWhatIfTextNines(t *testing.T) {
	ok := true
	r := &WhatIfResult{Flows: []*FlowFigures{{
		Name: "browse", Availability: 0.99999999, Changed: true,
		SLO:            lang.SLO{Availability: 0.9995},
		AvailabilityOK: &ok,
		Nominal:        FlowNominal{Availability: 1},
	}}}
	var b bytes.Buffer
	if err := WriteWhatIfText(&b, r); err != nil {
		t.Fatal(err)
	}
	if want := "* browse  99.9999990% [100%]"; !strings.Contains(b.String(), want) {
		t.Errorf("text output lacks %q:\n%s", want, b.String())
	}
	if want := "availability >= 99.950% met"; !strings.Contains(b.String(), want) {
		t.Errorf("text output lacks %q:\n%s", want, b.String())
	}
}
