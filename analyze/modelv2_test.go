package analyze

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/archform/archform/lang"
)

// modelJSON is the part of lint's JSON output the model v2 oracles read.
type modelJSON struct {
	Components map[string]struct {
		Utilization *float64 `json:"utilization"`
		Queue       *struct {
			Servers     int      `json:"servers"`
			ServiceTime float64  `json:"service_time"`
			Utilization float64  `json:"utilization"`
			LambdaRPS   *float64 `json:"lambda_rps"`
			Unstable    bool     `json:"unstable"`
		} `json:"queue"`
		InstanceRPS []float64 `json:"instance_load_rps"`
	} `json:"components"`
	Flows map[string]struct {
		Availability float64 `json:"availability"`
		LatencyMean  float64 `json:"latency_mean"`
		LatencyP99   float64 `json:"latency_p99"`
		Scenarios    map[string]struct {
			Availability float64 `json:"availability"`
		} `json:"scenarios"`
	} `json:"flows"`
}

// figures computes a design and reads its figures back from the JSON view
// (what `archform lint --format json` prints under components and flows),
// with the figures it omits restored as a consumer would.
func figures(t *testing.T, d *lang.Design) modelJSON {
	t.Helper()
	components, flows := restoredView(t, Compute(d))
	b, err := json.Marshal(map[string]any{"components": components, "flows": flows})
	if err != nil {
		t.Fatal(err)
	}
	var v modelJSON
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func loadModel(t *testing.T, name string) *lang.Design {
	t.Helper()
	d, diags := lang.Load(filepath.Join("testdata", "modelv2", name), lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("loading %s: %v", name, diags)
	}
	return d
}

// The figures of ORACLES.md, "Model v2": exact ones to 1e-8 absolute.
func TestModelV2Oracles(t *testing.T) {
	const exact = 1e-8
	t.Run("shop", func(t *testing.T) {
		v := figures(t, loadShop(t))
		nearAbs(t, "browse availability", v.Flows["browse"].Availability, 0.992830395726, exact)
		nearAbs(t, "order availability", v.Flows["order"].Availability, 0.993327307836, exact)
	})
	t.Run("textbook", func(t *testing.T) {
		v := figures(t, loadModel(t, "textbook.arch.hcl"))
		nearAbs(t, "flow availability", v.Flows["client.c"].Availability, 0.97010298, exact)
	})
	t.Run("leaderless", func(t *testing.T) {
		v := figures(t, loadModel(t, "leaderless.arch.hcl"))
		store := v.Components["database.store"]
		if store.Utilization == nil {
			t.Fatal("store utilization is null")
		}
		near(t, "member utilization", *store.Utilization, 0.5, 1e-9)
		if len(store.InstanceRPS) != 3 {
			t.Fatalf("members = %v, want 3", store.InstanceRPS)
		}
		for _, l := range store.InstanceRPS {
			near(t, "member load (reads × r ÷ n + writes)", l, 2250*1.0/3+750, 1e-9)
		}
		nearAbs(t, "read availability", v.Flows["read"].Availability, 0.999997526013, exact)
		nearAbs(t, "write availability", v.Flows["write"].Availability, 0.999994529020, exact)
		// Simulated, ± 1%: LB 1 ms + api 10 ms M/M/c + the 2nd fastest of
		// 3 member sojourns of 3 ms.
		near(t, "write latency_mean", v.Flows["write"].LatencyMean, 13.57, 0.01)
		za := "zone a lost"
		nearAbs(t, "read availability, zone a lost", v.Flows["read"].Scenarios[za].Availability, 0.980147540327, exact)
		nearAbs(t, "write availability, zone a lost", v.Flows["write"].Scenarios[za].Availability, 0.978189203583, exact)
	})
	t.Run("queue shape", func(t *testing.T) {
		v := figures(t, loadModel(t, "queueshape.arch.hcl"))
		s := v.Components["service.s"]
		if s.Queue == nil || s.Utilization == nil {
			t.Fatal("no queue")
		}
		// c·μ = capacity_rps: 1 server of 1 ms, utilization 0.8, stable;
		// never 1 server of 1.4 ms (714 rps, unstable) reported as 0.8.
		near(t, "utilization", *s.Utilization, 0.8, 1e-12)
		near(t, "queue utilization", s.Queue.Utilization, 0.8, 1e-12)
		if s.Queue.Servers != 1 || s.Queue.Unstable {
			t.Errorf("queue = %+v, want 1 stable server", *s.Queue)
		}
		near(t, "service time (ms)", s.Queue.ServiceTime, 1, 1e-12)
		near(t, "c·μ = capacity_rps", float64(s.Queue.Servers)/(s.Queue.ServiceTime/1000), 1000, 1e-12)
	})
}
