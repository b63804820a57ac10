package analyze

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestJSONView: the shop's figures through the JSON view, and the view is
// byte-identical run to run.
func TestJSONView(t *testing.T) {
	encode := func() []byte {
		r := Compute(loadShop(t))
		b, err := json.Marshal(map[string]any{"components": r.ComponentsJSON(), "flows": r.FlowsJSON()})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := encode()
	if !bytes.Equal(b, encode()) {
		t.Fatal("the JSON view differs between two runs")
	}
	var v struct {
		Components map[string]struct {
			LoadRPS     float64  `json:"load_rps"`
			ReadRPS     float64  `json:"read_rps"`
			WriteRPS    float64  `json:"write_rps"`
			Utilization *float64 `json:"utilization"`
			Scenarios   map[string]struct {
				Utilization *float64 `json:"utilization"`
				Up          int      `json:"up"`
			} `json:"scenarios"`
		} `json:"components"`
		Flows map[string]struct {
			Availability float64  `json:"availability"`
			LatencyMean  float64  `json:"latency_mean"`
			LatencyP99   *float64 `json:"latency_p99"`
			Path         []string `json:"path"`
		} `json:"flows"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	api := v.Components["service.api"]
	near(t, "api load_rps", api.LoadRPS, 10000, rel)
	near(t, "api utilization", *api.Utilization, 0.833333333333, rel)
	near(t, "api zone a lost", *api.Scenarios["zone a lost"].Utilization, 1.25, rel)
	if api.Scenarios["zone a lost"].Up != 8 {
		t.Errorf("api up after zone a = %d", api.Scenarios["zone a lost"].Up)
	}
	o := v.Components["database.orders"]
	near(t, "orders", o.LoadRPS, 2800, rel)
	near(t, "orders reads", o.ReadRPS, 1800, rel)
	near(t, "orders writes", o.WriteRPS, 1000, rel)
	near(t, "orders cache down", *o.Scenarios["cache.sessions down"].Utilization, 2.25, rel)
	if v.Components["load_balancer.edge"].Utilization != nil {
		t.Error("utilization without capacity_rps must be null")
	}
	nearAbs(t, "order availability", v.Flows["order"].Availability, 0.993327307836, 1e-8)
	nearAbs(t, "browse availability", v.Flows["browse"].Availability, 0.992830395726, 1e-8)
	nearAbs(t, "browse latency_mean", v.Flows["browse"].LatencyMean, 23.0019, 5e-5)
	if p := v.Flows["browse"].LatencyP99; p == nil || *p <= v.Flows["browse"].LatencyMean {
		t.Errorf("browse latency_p99 = %v", p)
	}
	if got := len(v.Flows["order"].Path); got != 4 {
		t.Errorf("order path = %v", v.Flows["order"].Path)
	}
}
