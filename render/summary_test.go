package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/render/graphviz"
)

// TestSummaryCounts: the summary of every example draws each component in
// exactly one node, the node of its kind in its home region, whose count
// adds up; the edges count every call, cache origin and consumption once;
// every node links to its detail drawing.
func TestSummaryCounts(t *testing.T) {
	link := func(region, tier string) string { return "#" + DetailID(region, tier) }
	nodeRE := regexp.MustCompile(`(?m)^\s*"(summary\.[^"]*)" \[id="[^"]*".*<B>[^<]* ×(\d+)</B>.*href="([^"]*)"`)
	edgeRE := regexp.MustCompile(`(?m)^\s*"(summary\.[^"]*)" -> "(summary\.[^"]*)" \[.*label="(\d+) (?:calls?|consumers?)`)
	for _, ex := range examples(t) {
		t.Run(ex.name, func(t *testing.T) {
			dot := dotOf(t, ex.in, Options{Summary: true, DetailLink: link})
			d := ex.in.Design
			v, err := newView(ex.in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			wantLink := map[string]string{}
			for _, c := range d.Components {
				id := "summary." + string(c.Kind)
				region := ""
				if _, r := v.home(c); r != nil {
					id, region = "summary."+r.Name+"."+string(c.Kind), r.Name
				}
				want[id]++
				wantLink[id] = link(region, tierOf(c.Kind).String())
			}
			got := map[string]int{}
			for _, m := range nodeRE.FindAllStringSubmatch(dot, -1) {
				n, _ := strconv.Atoi(m[2])
				got[m[1]] += n
				if m[3] != wantLink[m[1]] {
					t.Errorf("%s links to %s, want %s", m[1], m[3], wantLink[m[1]])
				}
			}
			for id, n := range want {
				if got[id] != n {
					t.Errorf("%s counts %d components, want %d", id, got[id], n)
				}
			}
			if len(got) != len(want) {
				t.Errorf("the summary draws %d group nodes, want %d:\n%s", len(got), len(want), dot)
			}
			relations := 0
			for _, c := range d.Components {
				for _, call := range c.Calls {
					if call.To != nil {
						relations++
					}
				}
				if c.Origin != nil {
					relations++
				}
				relations += len(c.Consumes)
			}
			counted := 0
			for _, m := range edgeRE.FindAllStringSubmatch(dot, -1) {
				n, _ := strconv.Atoi(m[3])
				counted += n
			}
			if counted != relations {
				t.Errorf("the summary's edges count %d relations, the design has %d", counted, relations)
			}
			if !strings.Contains(dot, "summary of "+strconv.Itoa(len(d.Components))+" components") {
				t.Error("the title does not say it is a summary and of how many components")
			}
		})
	}
}

// TestSummaryGeometry: the summaries of the examples pass the geometry
// checks (no overlap, labels by their edges, frames hold their groups).
func TestSummaryGeometry(t *testing.T) {
	for _, ex := range examples(t) {
		if ex.name != "shop" && ex.name != "video" {
			continue
		}
		t.Run(ex.name, func(t *testing.T) {
			opts := Options{Summary: true}
			checkGeometry(t, ex.in, opts, svgOf(t, ex.in, opts))
		})
	}
}

func TestSummaryOptions(t *testing.T) {
	var ve *ViewError
	for _, opts := range []Options{{Summary: true, Zone: "r1"}, {Summary: true, Tier: "data"}, {Summary: true, Around: "service.api"}} {
		if err := DOT(&bytes.Buffer{}, fixture(), opts); !errors.As(err, &ve) {
			t.Errorf("%+v: err = %v, want a ViewError", opts, err)
		}
	}
	if err := Mermaid(&bytes.Buffer{}, fixture(), Options{Summary: true}); !errors.As(err, &ve) {
		t.Errorf("Mermaid summary: err = %v, want a ViewError", err)
	}
	d := &lang.Design{}
	for i := range SummaryThreshold + 1 {
		if Large(d) {
			t.Fatalf("a design of %d components is large", i)
		}
		d.Components = append(d.Components, &lang.Component{})
	}
	if !Large(d) {
		t.Errorf("a design of %d components is not large", len(d.Components))
	}
}

func TestViewTier(t *testing.T) {
	in := fixture()
	dot := dotOf(t, in, Options{Tier: "data"})
	for _, c := range in.Design.Components {
		if got, want := strings.Contains(dot, `"`+c.Addr+`" [`), tierOf(c.Kind) == tierData; got != want {
			t.Errorf("--tier data: %s drawn %v, want %v", c.Addr, got, want)
		}
	}
	both := dotOf(t, in, Options{Tier: "services", Zone: "a"})
	if !strings.Contains(both, `"service.worker" [`) || !strings.Contains(both, `digraph "shop — zone a, services tier"`) {
		t.Errorf("--zone a --tier services: %s", both)
	}
	var ve *ViewError
	if err := DOT(&bytes.Buffer{}, in, Options{Tier: "middle"}); !errors.As(err, &ve) {
		t.Errorf("unknown tier: err = %v, want a ViewError", err)
	}
}

// TestReportDetails: the report of a large design (reportLarge, here on
// the two-region example) draws the summary, whose every link leads to a
// detail drawing on the page; each component is drawn once; ids are
// unique in the page.
func TestReportDetails(t *testing.T) {
	var in Input
	for _, ex := range examples(t) {
		if ex.name == "video" {
			in = ex.in
		}
	}
	if in.Design == nil {
		t.Fatal("no video example")
	}
	var b bytes.Buffer
	if err := reportLarge(context.Background(), &b, in, graphviz.SVG); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	ids := map[string]int{}
	for _, m := range regexp.MustCompile(`\sid="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		ids[m[1]]++
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q appears %d times in the page", id, n)
		}
	}
	for _, c := range in.Design.Components {
		if n := strings.Count(page, `<g id="`+c.Addr+`" class="node"`); n != 1 {
			t.Errorf("%s is drawn %d times, want once", c.Addr, n)
		}
	}
	links := regexp.MustCompile(`xlink:href="#(detail\.[^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(links) == 0 {
		t.Fatal("the summary links to no detail drawing")
	}
	for _, m := range links {
		if ids[m[1]] != 1 {
			t.Errorf("the summary links to #%s, which the page does not hold", m[1])
		}
	}
	if !strings.Contains(page, `class="viewport"`) || strings.Count(page, `class="zoom"`) != strings.Count(page, `class="viewport"`) {
		t.Error("each drawing needs its own zoom buttons and pannable frame")
	}
}

// TestDetailDrawings: the report's detail drawings of a large design hold
// every component once, none more than rankedDesign, each tier of 450
// services split into parts with their own ids.
func TestDetailDrawings(t *testing.T) {
	in := fixture()
	for i := range 450 {
		c := *in.Design.Component("service.worker")
		c.Name, c.Addr, c.Calls, c.Consumes = fmt.Sprintf("s%d", i), fmt.Sprintf("service.s%d", i), nil, nil
		in.Design.Components = append(in.Design.Components, &c)
	}
	in.Design.Index()
	v, err := newView(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[*lang.Component]int{}
	ids := map[string]bool{}
	var services []int
	for _, dd := range v.detailDrawings() {
		if ids[dd.ID] {
			t.Errorf("two drawings have the id %s", dd.ID)
		}
		ids[dd.ID] = true
		if len(dd.sel.members) > rankedDesign {
			t.Errorf("%s draws %d components, more than %d", dd.ID, len(dd.sel.members), rankedDesign)
		}
		for c := range dd.sel.members {
			seen[c]++
		}
		if strings.HasPrefix(dd.ID, "detail.r1.services") {
			services = append(services, len(dd.sel.members))
		}
	}
	for _, c := range in.Design.Components {
		if seen[c] != 1 {
			t.Errorf("%s is in %d drawings, want 1", c.Addr, seen[c])
		}
	}
	// The api, the zone-a worker and its 450 copies (the queue has no zone).
	if fmt.Sprint(services) != "[90 90 91 90 91]" || !ids["detail.r1.services.5"] {
		t.Errorf("the services tier of r1 is drawn in parts %v (ids %v)", services, ids)
	}
}

// TestRankedSizes: a design of up to rankedDesign components gets its
// ranks, curves up to largeDesign; a larger one neither.
func TestRankedSizes(t *testing.T) {
	grow := func(n int) Input {
		in := fixture()
		for i := len(in.Design.Components); i < n; i++ {
			c := *in.Design.Component("service.worker")
			c.Name, c.Addr, c.Calls, c.Consumes = fmt.Sprintf("s%d", i), fmt.Sprintf("service.s%d", i), nil, nil
			in.Design.Components = append(in.Design.Components, &c)
		}
		in.Design.Index()
		return in
	}
	for _, c := range []struct {
		n             int
		ranked, lines bool
	}{{rankedDesign, true, false}, {rankedDesign + 1, false, false}, {largeDesign + 1, false, true}} {
		dot := dotOf(t, grow(c.n), Options{})
		if got := strings.Contains(dot, `{ rank=same; "service.s`); got != c.ranked {
			t.Errorf("%d components: ranked %v, want %v", c.n, got, c.ranked)
		}
		if got := strings.Contains(dot, `splines="line"`); got != c.lines {
			t.Errorf("%d components: straight edges %v, want %v", c.n, got, c.lines)
		}
	}
}
