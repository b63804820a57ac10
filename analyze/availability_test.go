package analyze

import (
	"math"
	"reflect"
	"testing"

	"github.com/archform/archform/lang"
)

func TestKOfN(t *testing.T) {
	nearAbs(t, "2-of-3 at 0.99", KOfN(2, 3, 0.99), 0.999702, 5e-7)
	near(t, "2-of-3 exact", KOfN(2, 3, 0.99), 3*0.99*0.99*0.01+0.99*0.99*0.99, 1e-12)
	nearAbs(t, "10-of-12 at 0.99", KOfN(10, 12, 0.99), 0.999794, 5e-7)
	near(t, "1-of-2 at 0.999", KOfN(1, 2, 0.999), 1-0.001*0.001, 1e-12)
	near(t, "1-of-1", KOfN(1, 1, 0.9995), 0.9995, 1e-12)
	if KOfN(3, 2, 0.99) != 0 {
		t.Error("k > n must give 0")
	}
	// Large n stays a probability and agrees with the other tail.
	a := KOfN(300, 500, 0.7)
	if a <= 0 || a >= 1 || math.IsNaN(a) {
		t.Errorf("300-of-500 at 0.7 = %g", a)
	}
}

func TestKNeeded(t *testing.T) {
	for _, tc := range []struct {
		load, cap float64
		want      int
	}{{10000, 1000, 11}, {9999, 1000, 10}, {1800.0000000000002, 2000, 1}, {1999.999999999, 2000, 2}, {2000.0000000001, 2000, 2}, {2001, 2000, 2}, {0, 1000, 1}, {500, 0, 1}} {
		if got := kNeeded(tc.load, tc.cap); got != tc.want {
			t.Errorf("kNeeded(%v, %v) = %d, want %d", tc.load, tc.cap, got, tc.want)
		}
	}
}

// Property: adding a replica never lowers a tier's availability.
func TestAddingReplicaNeverLowersAvailability(t *testing.T) {
	for replicas := 1; replicas <= 14; replicas++ {
		for _, capacity := range []float64{0, 500, 1000, 3000} {
			a1 := tierOf(t, replicas, capacity, "service")
			a2 := tierOf(t, replicas+1, capacity, "service")
			if a2 < a1-1e-12 {
				t.Errorf("service, capacity %v: %d replicas %.12f > %d replicas %.12f", capacity, replicas, a1, replicas+1, a2)
			}
			d1 := tierOf(t, replicas, capacity, "database")
			d2 := tierOf(t, replicas+1, capacity, "database")
			if d2 < d1-1e-12 {
				t.Errorf("database, capacity %v: %d replicas %.12f > %d replicas %.12f", capacity, replicas, d1, replicas+1, d2)
			}
		}
	}
}

// tierOf returns a flow's availability through one tier with n replicas
// carrying 5000 rps (90% reads).
func tierOf(t *testing.T, n int, capacity float64, kind string) float64 {
	t.Helper()
	b := newBuilder([]string{"a", "b", "c"})
	cl := b.comp(lang.KindClient, "c", func(c *lang.Component) { c.RPS, c.ReadRatio = 5000, 0.9 })
	var tier *lang.Component
	if kind == "database" {
		tier = b.comp(lang.KindDatabase, "t", func(c *lang.Component) {
			c.CapacityRPS, c.Zones = capacity, []string{"a", "b", "c"}
			c.Replication = lang.Replication{Mode: "async", Replicas: n, ReadFrom: "replicas", Failover: "manual"}
		})
	} else {
		tier = b.comp(lang.KindService, "t", func(c *lang.Component) {
			c.Replicas, c.CapacityRPS, c.Zones = n, capacity, []string{"a", "b", "c"}
		})
	}
	b.call(cl, tier, nil)
	return Compute(b.design()).Flows["client.c"].Availability
}

// A database whose writes need its primary and whose reads go to its
// replicas has a k-of-n per role, never one summed over both: the shop's
// orders, 1 primary and 2 replicas, is primary 1-of-1 and replicas 1-of-2
// (not "2-of-3"), and its JSON says so.
func TestKOfNPerRole(t *testing.T) {
	d, diags := lang.Load("../testdata/shop", lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	res := Compute(d)
	cr := res.Components["database.orders"]
	want := []RoleKN{{Role: "primary", K: 1, N: 1}, {Role: "replicas", K: 1, N: 2}}
	if cr.K != 0 || cr.N != 0 || !reflect.DeepEqual(cr.Roles, want) {
		t.Errorf("database.orders: k %d n %d roles %+v, want 0, 0 and %+v", cr.K, cr.N, cr.Roles, want)
	}
	if got := cr.KOfNText(); got != "primary 1-of-1, replicas 1-of-2" {
		t.Errorf("KOfNText = %q", got)
	}
	if j := res.ComponentsJSON()["database.orders"]; j.N != 0 || len(j.Roles) != 2 {
		t.Errorf("JSON n = %d, roles %+v", j.N, j.Roles)
	}
	if api := res.Components["service.api"]; api.K != 11 || api.N != 12 || api.Roles != nil {
		t.Errorf("service.api: %d-of-%d, roles %+v; want 11-of-12", api.K, api.N, api.Roles)
	}
}
