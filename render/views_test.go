package render

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

func TestViewAround(t *testing.T) {
	dot := dotOf(t, fixture(), Options{Around: "cache.sessions", Depth: 1})
	// sessions, the api that calls it and its origin; nothing two edges away.
	for _, want := range []string{`"cache.sessions" [`, `"service.api" [`, `"database.orders" [`, `"service.api" -> "cache.sessions"`} {
		if !strings.Contains(dot, want) {
			t.Errorf("--around cache.sessions lacks %s", want)
		}
	}
	for _, bad := range []string{`"client.web" [`, `"service.worker" [`, `"queue.events" [`} {
		if strings.Contains(dot, bad) {
			t.Errorf("--around cache.sessions --depth 1 draws %s", bad)
		}
	}
	if !strings.Contains(dot, `digraph "shop — around cache.sessions, depth 1"`) {
		t.Error("the title does not name the view")
	}
	two := dotOf(t, fixture(), Options{Around: "cache.sessions", Depth: 2})
	if !strings.Contains(two, `"load_balancer.edge" [`) {
		t.Error("--depth 2 does not reach the load balancer two calls up")
	}
	var ve *ViewError
	if err := DOT(&strings.Builder{}, fixture(), Options{Around: "service.nope"}); !errors.As(err, &ve) {
		t.Errorf("unknown component: err = %v, want a ViewError", err)
	}
}

func TestViewZone(t *testing.T) {
	in := fixture()
	dot := dotOf(t, in, Options{Zone: "a"})
	for _, c := range in.Design.Components {
		inA := false
		for _, z := range c.Zones {
			inA = inA || z == "a"
		}
		if got := strings.Contains(dot, `"`+c.Addr+`" [`); got != inA {
			t.Errorf("--zone a: %s drawn %v, placed in zone a %v", c.Addr, got, inA)
		}
	}
	region := dotOf(t, in, Options{Zone: "r1"})
	if !strings.Contains(region, `digraph "shop — region r1"`) {
		t.Error("a region's view is not titled by the region")
	}
	var ve *ViewError
	if err := DOT(&strings.Builder{}, in, Options{Zone: "z9"}); !errors.As(err, &ve) || !strings.Contains(err.Error(), "region r1, a, b, c") {
		t.Errorf("unknown zone: err = %v, want a ViewError naming the zones", err)
	}
}

// TestTiers: each tier's nodes come below the tier above, a callee below
// its caller of the same tier, and a wide layer wraps into rows.
func TestTiers(t *testing.T) {
	dot := dotOf(t, fixture(), Options{})
	for _, want := range []string{
		`{ rank=same; "client.web" }`,
		`{ rank=same; "load_balancer.edge" }`,
		`{ rank=same; "service.api" }`,
		`{ rank=same; "queue.events" }`,
		`{ rank=same; "service.worker" }`,
		`{ rank=same; "cache.sessions"; "external.payments" }`,
		`{ rank=same; "database.orders" }`,
		`"database.orders" -> "legend"`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s", want)
		}
	}
	if i, j := strings.Index(dot, `{ rank=same; "service.api" }`), strings.Index(dot, `{ rank=same; "cache.sessions"`); i > j {
		t.Error("the data tier comes before the services")
	}
	// Twenty services behind one gateway: rows of 7, 7 and 6.
	in := fixture()
	api := in.Design.Component("service.api")
	for i := range 19 {
		c := *in.Design.Component("service.worker")
		c.Name, c.Addr, c.Calls, c.Consumes = fmt.Sprintf("s%d", i), fmt.Sprintf("service.s%d", i), nil, nil
		in.Design.Components = append(in.Design.Components, &c)
		api.Calls = append(api.Calls, &lang.Call{From: api, To: &c, Index: len(api.Calls), Op: lang.OpRead, PerRequest: 1, Mode: "sync", Required: true})
	}
	in.Design.Index()
	v, err := newView(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var widths []int
	for _, r := range v.ranks(v.comps()) {
		if tierOf(r[0].Kind) == tierServices && r[0] != api {
			widths = append(widths, len(r))
		}
	}
	// api's callees: events, and s0..s18; the worker consumes events.
	if fmt.Sprint(widths) != "[7 7 6 1]" {
		t.Errorf("services' rows below the api: %v, want [7 7 6 1]", widths)
	}
}

func TestWrapLayers(t *testing.T) {
	if got := wrapText("zones use1-a, use1-b, use1-c", 24); len(got) != 2 || got[0] != "zones use1-a, use1-b," {
		t.Errorf("wrapText = %q", got)
	}
	if rowWidth(20) != 7 || rowWidth(3) != 6 {
		t.Errorf("rowWidth(20) = %d, rowWidth(3) = %d", rowWidth(20), rowWidth(3))
	}
}

// TestViewLegend: a view's legend lists the edge styles it draws, not
// those of edges to components it leaves out.
func TestViewLegend(t *testing.T) {
	whole := dotOf(t, fixture(), Options{})
	data := dotOf(t, fixture(), Options{Tier: "data"})
	if !strings.Contains(whole, `label="async call"`) || !strings.Contains(whole, `label="queue to its consumer"`) {
		t.Fatal("the whole fixture's legend lacks its async call or consumer")
	}
	if strings.Contains(data, `label="async call"`) || strings.Contains(data, `label="queue to its consumer"`) {
		t.Errorf("the data tier's legend lists edges it does not draw:\n%s", data)
	}
	if !strings.Contains(data, `label="cache misses to its origin"`) {
		t.Error("the data tier's legend lacks the origin edge it draws")
	}
}
