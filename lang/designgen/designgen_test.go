package designgen_test

import (
	"regexp"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// TestBoundedCallDepth: services call services of deeper layers only, so a
// request crosses at most four services in a row however large the design
// (real architectures do not grow their call chains with their size), and
// the layers are used (chains of three services or more exist).
func TestBoundedCallDepth(t *testing.T) {
	for _, n := range []int{30, 2000} {
		d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(n, 7)}, lang.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		// depth[c]: the most services in a row from c along service calls
		// (the graph is acyclic: a cycle would recurse forever, and the
		// visiting mark catches it).
		depth := map[*lang.Component]int{}
		visiting := map[*lang.Component]bool{}
		var walk func(c *lang.Component) int
		walk = func(c *lang.Component) int {
			if v, ok := depth[c]; ok {
				return v
			}
			if visiting[c] {
				t.Fatalf("%d components: a service call cycle through %s", n, c.Addr)
			}
			visiting[c] = true
			best := 0
			for _, call := range c.Calls {
				if call.To != nil && call.To.Kind == lang.KindService {
					best = max(best, walk(call.To))
				}
			}
			depth[c] = best + 1
			return best + 1
		}
		deepest := 0
		for _, c := range d.Components {
			if c.Kind == lang.KindService {
				deepest = max(deepest, walk(c))
			}
		}
		if deepest > 4 || (n >= 1000 && deepest < 3) {
			t.Errorf("%d components: the longest chain of service calls has %d services, want 3 to 4", n, deepest)
		}
	}
}

// TestGroups: n groups of ten components and the design's trace collector
// load without a diagnostic, and no call, consume or origin leaves its group
// (the number in a component's name).
func TestGroups(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"groups.arch.hcl": designgen.Groups(25)}, lang.Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(d.Components) != 251 || len(d.Flows) != 50 {
		t.Fatalf("%d components and %d flows, want 251 and 50", len(d.Components), len(d.Flows))
	}
	group := regexp.MustCompile(`^[a-z_]+\.[a-z]+(\d+)`)
	of := func(c *lang.Component) string { return group.FindStringSubmatch(c.Addr)[1] }
	for _, c := range d.Components {
		if c.Addr == "external.traces" {
			continue // the design's one component outside the groups: nothing calls it
		}
		var to []*lang.Component
		for _, call := range c.Calls {
			to = append(to, call.To)
		}
		for _, cs := range c.Consumes {
			to = append(to, cs.Queue)
		}
		if c.Origin != nil {
			to = append(to, c.Origin)
		}
		for _, x := range to {
			if of(x) != of(c) {
				t.Errorf("%s reaches %s, in another group", c.Addr, x.Addr)
			}
		}
	}
}
