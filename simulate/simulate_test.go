package simulate

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

func shopApplied(t testing.TB, fails, scales []string) (*lang.Design, *analyze.WhatIfResult) {
	t.Helper()
	d, diags := lang.Load("../testdata/shop", lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	w, err := analyze.ParseWhatIf(d, fails, scales)
	if err != nil {
		t.Fatal(err)
	}
	return d, analyze.ComputeWhatIf(d, w)
}

// The same seed gives the same figures, whatever the number of workers.
func TestDeterministic(t *testing.T) {
	_, r := shopApplied(t, []string{"zone:a"}, nil)
	run := func(workers int) string {
		rep := Run(context.Background(), r.Applied, Options{Duration: 300 * time.Millisecond, Replications: 3, Seed: 42, Workers: workers})
		return fmt.Sprintf("%v %+v %+v %+v", rep.Requests, rep.Tiers, rep.Flows, rep.Calls)
	}
	a, b, c := run(1), run(2), run(1)
	if a != b || a != c {
		t.Errorf("same seed, different figures:\n%s\n%s\n%s", a, b, c)
	}
	rep := Run(context.Background(), r.Applied, Options{Duration: 300 * time.Millisecond, Replications: 3, Seed: 43, Workers: 1})
	if fmt.Sprintf("%v %+v %+v %+v", rep.Requests, rep.Tiers, rep.Flows, rep.Calls) == a {
		t.Errorf("another seed gave the same figures")
	}
}

// A cancelled run returns what it has: the engine stops when told (here
// after about 1.3 million events, without a clock) and keeps what it
// measured; Run with a cancelled context starts nothing more.
func TestCancelled(t *testing.T) {
	_, r := shopApplied(t, nil, nil)
	var requests atomic.Int64
	e := newEngine(compile(r.Applied), 1, 0, 0.5, 3600, 1, &requests)
	checks := 0
	e.run(func() bool { checks++; return checks > 20 })
	if e.stopped != "interrupted" || e.stats.window <= 0 || e.stats.flows[0].requests == 0 {
		t.Errorf("stopped %q, window %v, %d requests measured: want an interrupted run that kept its figures",
			e.stopped, e.stats.window, e.stats.flows[0].requests)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := Run(ctx, r.Applied, Options{Duration: time.Hour, Replications: 4, Seed: 1, Workers: 1})
	if rep.Done != 0 || rep.Requests > 0 && len(rep.Stopped) == 0 {
		t.Errorf("a cancelled Run: %d done, %d requests, stopped %q", rep.Done, rep.Requests, rep.Stopped)
	}
}

// The shop's figures under a scenario: zone a lost with half the traffic
// leaves api 8 instances at 0.625; with 1.5 times the traffic, 1.875
// (unstable: the run stops on the unbounded queue).
func TestShopScenario(t *testing.T) {
	_, r := shopApplied(t, []string{"zone:a"}, []string{"client.web=0.5x"})
	rep := Run(context.Background(), r.Applied, Options{Duration: 2 * time.Second, Replications: 4, Seed: 3})
	var api TierStats
	for _, x := range rep.Tiers {
		if x.Addr == "service.api" {
			api = x
		}
	}
	if len(api.Instances) != 8 || !api.Utilization.Contains(0.625, 0.01) {
		t.Errorf("api: %d instances, utilization %+v, want 8 at 0.625", len(api.Instances), api.Utilization)
	}
	for _, row := range Compare(rep, r) {
		if row.Measured && !row.Agrees {
			t.Errorf("%s %s: analytic %.6g, simulated %.6g ± %.3g", row.Subject, row.Figure, row.Analytic, row.Sim.Mean, row.Sim.Half)
		}
	}
	_, r = shopApplied(t, []string{"zone:a"}, []string{"client.web=1.5x"})
	rep = Run(context.Background(), r.Applied, Options{Duration: 20 * time.Second, Replications: 1, Seed: 3})
	if len(rep.Stopped) == 0 || !strings.Contains(rep.Stopped[0], "the queue at service.api grows without bound") {
		t.Errorf("api at utilization 1.875: stopped %q, want its queue found growing", rep.Stopped)
	}
}

// Cache down: reads go to the origin (4500 per replica).
func TestCacheDown(t *testing.T) {
	_, r := shopApplied(t, []string{"cache.sessions"}, []string{"client.web=0.3x"})
	rep := Run(context.Background(), r.Applied, Options{Duration: 4 * time.Second, Replications: 4, Seed: 5})
	for _, row := range Compare(rep, r) {
		if row.Subject == "database.orders" && row.Figure == "instance 1 utilization" {
			if !row.Measured || !row.Agrees || math.Abs(row.Analytic-0.675) > 1e-9 {
				t.Errorf("replica 1: %+v, want 0.675 measured and agreeing", row)
			}
			return
		}
	}
	t.Errorf("no row for database.orders instance 1")
}
