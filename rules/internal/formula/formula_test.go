package formula

import (
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Num(10000), "10000"},
		{Num(833.3333333), "833.333"},
		{Num(0.35 / 60), "0.00583333"},
		{Num(1234567.8), "1234568"},
		{Num(0), "0"},
		{Rate(4500), "4500 rps"},
		{Ratio(10000.0 / 12000), "0.833"},
		{Ratio(1.25), "1.25"},
		{Ratio(2), "2"},
		{Availability(0.9992930), "0.999293"},
		{Availability(0.99999975), "0.99999975"},
		{Availability(1 - 0.001*0.001), "0.999999"},
		{Availability(0.999794384), "0.999794"},
		{Availability(0.9995), "0.9995"},
		{Millis(23.00190001), "23.0019 ms"},
		{Millis(4000), "4000 ms"},
		{List([]string{"a"}), "a"},
		{Names([]string{"browse", "order"}), "browse, order"},
		{Names([]string{"a", "b", "c", "d", "e", "f", "g"}), "a, b, c, d, e and 2 more"},
		{List([]string{"a", "b", "c"}), "a, b and c"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// database builds a database with a primary and two replicas, unplaced.
func database() *lang.Component {
	c := &lang.Component{Kind: lang.KindDatabase, Name: "orders", Addr: "database.orders", CapacityRPS: 2000}
	for i, role := range []lang.Role{lang.RolePrimary, lang.RoleReplica, lang.RoleReplica} {
		c.Instances = append(c.Instances, &lang.Instance{Component: c, Index: i, Role: role})
	}
	return c
}

func TestUtilization(t *testing.T) {
	c := database()
	// The shop's orders with the cache down: replicas take 4500 each.
	l := &analyze.Load{Read: 9000, Write: 1000, Instances: []float64{1000, 4500, 4500}, Up: 3, Utilization: 2.25, Hottest: 1}
	u := Utilization(c, l)
	if want := "utilization = 9000 rps / (2 × 2000 rps) = 2.25"; u.Text != want {
		t.Errorf("text = %q, want %q", u.Text, want)
	}
	if u.Label != "database.orders replicas" || u.Each != 4500 || u.Up != 2 || u.Of != 2 {
		t.Errorf("share = %+v, want the 2 replicas at 4500 rps", u)
	}

	// One replica lost: the survivor carries the reads.
	l = &analyze.Load{Read: 9000, Write: 1000, Instances: []float64{1000, -1, 9000}, Up: 2, Utilization: 4.5, Hottest: 2}
	if u := Utilization(c, l); u.Text != "utilization = 9000 rps / (1 × 2000 rps) = 4.5" || u.Up != 1 || u.Of != 2 {
		t.Errorf("one replica lost: %+v", u)
	}

	// Uneven replicas: the hottest instance alone.
	l = &analyze.Load{Read: 3000, Instances: []float64{0, 1000, 2000}, Up: 3, Utilization: 1, Hottest: 2}
	if u := Utilization(c, l); u.Text != "utilization = 2000 rps / 2000 rps = 1" {
		t.Errorf("uneven: %q", u.Text)
	}

	// No per-instance figures: the whole load over the instances up.
	l = &analyze.Load{Read: 3000, Up: 3, Utilization: 0.5}
	if u := Utilization(c, l); u.Text != "utilization = 3000 rps / (3 × 2000 rps) = 0.5" {
		t.Errorf("no instances: %q", u.Text)
	}
}
