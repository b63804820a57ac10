package designgen_test

import (
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
