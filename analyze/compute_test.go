package analyze

import (
	"math"
	"testing"

	"github.com/archform/archform/lang"
)

// near fails unless got is within tol relative of want (absolute near 0).
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if d := math.Abs(got - want); d > tol*math.Max(1, math.Abs(want)) || math.IsNaN(got) {
		t.Errorf("%s = %.10g, want %.10g (|Δ| = %.3g)", what, got, want, d)
	}
}

// nearAbs fails unless |got − want| ≤ tol.
func nearAbs(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if d := math.Abs(got - want); !(d <= tol) {
		t.Errorf("%s = %.10g, want %.10g ± %g (|Δ| = %.3g)", what, got, want, tol, d)
	}
}

const rel = 1e-6

// instancesByRole returns the nominal loads of a database's instances of role.
func instancesByRole(c *lang.Component, l *Load, role lang.Role) []float64 {
	var out []float64
	for i, inst := range c.Instances {
		if inst.Role == role {
			out = append(out, l.Instances[i])
		}
	}
	return out
}

// TestShop asserts every figure of ORACLES.md's shop table.
// It runs on the decoded testdata/shop and on the same design built in Go.
func TestShop(t *testing.T) {
	t.Run("decoded", func(t *testing.T) { testShop(t, loadShop(t)) })
	t.Run("built", func(t *testing.T) { testShop(t, handShop()) })
}

func testShop(t *testing.T, d *lang.Design) {
	r := Compute(d)

	api := r.Components["service.api"]
	near(t, "api load_rps", api.Load.Total(), 10000, rel)
	near(t, "api utilization", api.Load.Utilization, 10000.0/12000, rel)

	for _, z := range []string{"a", "b", "c"} {
		s := r.Scenario("zone " + z + " lost")
		if s == nil {
			t.Fatalf("no scenario for zone %s", z)
		}
		l := s.LoadOf("service.api")
		if l.Up != 8 {
			t.Errorf("zone %s lost: api up = %d, want 8", z, l.Up)
		}
		near(t, "api utilization, zone "+z+" lost", l.Utilization, 1.25, rel)
	}

	near(t, "cache.sessions load_rps", r.Components["cache.sessions"].Load.Total(), 9000, rel)

	orders := r.Components["database.orders"]
	near(t, "orders load_rps", orders.Load.Total(), 2800, rel)
	near(t, "orders reads", orders.Load.Read, 1800, rel)
	near(t, "orders writes", orders.Load.Write, 1000, rel)
	oc := orders.Component
	reps := instancesByRole(oc, orders.Load, lang.RoleReplica)
	if len(reps) != 2 {
		t.Fatalf("orders replicas = %d, want 2", len(reps))
	}
	for _, v := range reps {
		near(t, "orders replica load", v, 900, rel)
		near(t, "orders replica utilization", v/oc.CapacityRPS, 0.45, rel)
	}
	prim := instancesByRole(oc, orders.Load, lang.RolePrimary)
	near(t, "orders primary load", prim[0], 1000, rel)
	near(t, "orders utilization", orders.Load.Utilization, 0.5, rel)

	down := r.Scenario("cache.sessions down")
	if down == nil {
		t.Fatal("no cache.sessions down scenario")
	}
	dl := down.LoadOf("database.orders")
	for _, v := range instancesByRole(oc, dl, lang.RoleReplica) {
		near(t, "cache down: orders replica load", v, 4500, rel)
	}
	near(t, "cache down: orders utilization", dl.Utilization, 2.25, rel)
	if !down.LoadOf("cache.sessions").Down {
		t.Error("cache down: cache.sessions not marked Down")
	}

	order, browse := r.Flows["order"], r.Flows["browse"]
	if order == nil || browse == nil {
		t.Fatalf("flows = %v", r.FlowOrder)
	}
	// Model v2 (ORACLES.md): exact, to 1e-8 absolute.
	nearAbs(t, "order availability", order.Availability, 0.993327307836, 1e-8)
	nearAbs(t, "browse availability", browse.Availability, 0.992830395726, 1e-8)
	// And their factors.
	lb, _, _ := tierAvailability(r.Components["load_balancer.edge"].Component, r.Components["load_balancer.edge"].Load, "")
	near(t, "LB 1-of-2", lb, 0.999999, rel)
	// Up means stable: 10000 rps on 10 instances of 1000 is utilization 1.
	near(t, "api 11-of-12", api.Availability, KOfN(11, 12, 0.99), 1e-12)
	near(t, "api 11-of-12", api.Availability, math.Pow(0.99, 12)+12*0.01*math.Pow(0.99, 11), 1e-12)
	if api.K != 11 || api.N != 12 {
		t.Errorf("api k-of-n = %d-of-%d, want 11-of-12", api.K, api.N)
	}
	nearAbs(t, "browse latency_mean", browse.LatencyMean, 23.0019, 5e-5)
	nearAbs(t, "order latency_mean", order.LatencyMean, 26.0379, 5e-5)

	// The cache counts for browse as a capacity single point of failure.
	var cache *Hop
	for _, h := range browse.Hops {
		if h.Component.Addr == "cache.sessions" {
			cache = h
		}
	}
	if cache == nil || !cache.Soft || !cache.Required || len(cache.Overloads) != 1 || cache.Overloads[0] != "database.orders" {
		t.Errorf("browse cache hop = %+v, want soft, required, overloading database.orders", cache)
	}
	wantPath(t, order, "client.web", "load_balancer.edge", "service.api", "database.orders/primary")
	wantPath(t, browse, "client.web", "load_balancer.edge", "service.api", "cache.sessions", "database.orders/replica")
}

func wantPath(t *testing.T, f *FlowResult, want ...string) {
	t.Helper()
	var got []string
	for _, h := range f.Hops {
		s := h.Component.Addr
		if h.Role != "" {
			s += "/" + string(h.Role)
		}
		got = append(got, s)
	}
	if len(got) != len(want) {
		t.Errorf("flow %s path = %v, want %v", f.Name, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("flow %s path = %v, want %v", f.Name, got, want)
			return
		}
	}
}
