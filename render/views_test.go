package render

import (
	"errors"
	"strings"
	"testing"
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

// TestTiers: every node hangs between its tier's anchors, and an edge up
// the tiers (a queue's consumer is a service: along) does not constrain.
func TestTiers(t *testing.T) {
	dot := dotOf(t, fixture(), Options{})
	for _, want := range []string{
		`"tier.entry" -> "client.web" [minlen="0"`,
		`"client.web" -> "tier.edge" [style="invis"`,
		`"tier.data" -> "database.orders" [minlen="0"`,
		`"tier.end" -> "legend"`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s", want)
		}
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
