package analyze

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// restoreJSON puts back, in a decoded "components" and "flows" view, every
// figure that JSON version 2 omits, by the rules docs/lint.md gives a
// consumer (written here from the doc, as a consumer would):
//
//   - instance_load_rps: absent when every instance carries load_rps ÷
//     instances;
//   - queue: lambda_rps, utilization, response_mean, response_p99 absent
//     when equal to the component's load_rps, utilization, latency_mean,
//     latency_p99;
//   - a component's scenario: load_rps, utilization and up absent when
//     equal to the component's load_rps, utilization and instances (a down
//     component: {"down": true}); a scenario absent when it changes none;
//   - a hop (flows' hops, a delivery's queue_hop and consumers' hops):
//     calls_per_request absent when 1, availability, latency_mean and
//     latency_p99 when equal to its component's;
//   - a flow's scenario absent when it changes none of the flow's figures,
//     its latency_mean and latency_p99 when null.
//
// scenarios names the design's failure scenarios, which restoreJSON lists
// in full for every component and flow (a down component's with load_rps
// null: a down component's figures are not given).
func restoreJSON(components, flows map[string]any, scenarios []string) {
	for _, cv := range components {
		c := cv.(map[string]any)
		if _, ok := c["instance_load_rps"]; !ok {
			if n := c["instances"].(float64); n > 0 {
				each := *figure(c["load_rps"].(float64) / n)
				loads := make([]any, int(n))
				for i := range loads {
					loads[i] = each
				}
				c["instance_load_rps"] = loads
			}
		}
		if q, ok := c["queue"].(map[string]any); ok {
			for qk, ck := range map[string]string{"lambda_rps": "load_rps", "utilization": "utilization",
				"response_mean": "latency_mean", "response_p99": "latency_p99"} {
				if _, ok := q[qk]; !ok {
					q[qk] = c[ck]
				}
			}
		}
		ss := c["scenarios"].(map[string]any)
		for _, name := range scenarios {
			s, ok := ss[name].(map[string]any)
			if !ok {
				s = map[string]any{}
				ss[name] = s
			}
			if s["down"] == true {
				s["load_rps"], s["utilization"], s["up"] = nil, nil, 0.0
				continue
			}
			for sk, ck := range map[string]string{"load_rps": "load_rps", "utilization": "utilization", "up": "instances"} {
				if _, ok := s[sk]; !ok {
					s[sk] = c[ck]
				}
			}
			s["down"] = false
		}
	}
	hops := func(hs []any) {
		for _, hv := range hs {
			h := hv.(map[string]any)
			if _, ok := h["calls_per_request"]; !ok {
				h["calls_per_request"] = 1.0
			}
			c := components[h["component"].(string)].(map[string]any)
			for _, k := range []string{"availability", "latency_mean", "latency_p99"} {
				if _, ok := h[k]; !ok {
					h[k] = c[k]
				}
			}
		}
	}
	for _, fv := range flows {
		f := fv.(map[string]any)
		hops(f["hops"].([]any))
		if d, ok := f["delivery"].(map[string]any); ok {
			hops([]any{d["queue_hop"]})
			for _, cv := range d["consumers"].([]any) {
				hops(cv.(map[string]any)["hops"].([]any))
			}
		}
		ss := f["scenarios"].(map[string]any)
		for _, name := range scenarios {
			s, ok := ss[name].(map[string]any)
			if !ok {
				ss[name] = map[string]any{"availability": f["availability"], "latency_mean": f["latency_mean"],
					"latency_p99": f["latency_p99"]}
				continue
			}
			for _, k := range []string{"latency_mean", "latency_p99"} {
				if _, ok := s[k]; !ok {
					s[k] = nil
				}
			}
		}
	}
}

// restoredView is the JSON view of r with its omissions restored
// (restoreJSON), decoded.
func restoredView(t *testing.T, r *Results) (components, flows map[string]any) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"components": r.ComponentsJSON(), "flows": r.FlowsJSON()})
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Components, Flows map[string]any }
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	restoreJSON(v.Components, v.Flows, r.ScenarioNames())
	return v.Components, v.Flows
}

// TestJSONOmissionsRestore: the figures JSON version 2 omits come back, by
// the documented rules (restoreJSON), equal to the results' own, rounded
// as written: on the shop, the model v2 designs (queues split by role,
// leaderless members, deliveries, retries) and generated groups.
func TestJSONOmissionsRestore(t *testing.T) {
	designs := map[string]*lang.Design{"shop": loadShop(t)}
	for _, n := range []string{"leaderless", "delivery", "queueshape", "retries", "binomial", "metastable"} {
		designs[n] = loadModel(t, n+".arch.hcl")
	}
	d, diags := lang.LoadFiles(map[string][]byte{"groups.arch.hcl": designgen.Groups(6)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	designs["groups"] = d
	for name, d := range designs {
		t.Run(name, func(t *testing.T) {
			r := Compute(d)
			components, flows := restoredView(t, r)
			for addr, cr := range r.Components {
				checkComponent(t, r, addr, cr, components[addr].(map[string]any))
			}
			scenarios := r.FlowScenarios()
			for fname, f := range r.Flows {
				fj := flows[fname].(map[string]any)
				checkHops(t, fname, f.Hops, fj["hops"].([]any))
				if d := f.Delivery; d != nil {
					dj := fj["delivery"].(map[string]any)
					checkHops(t, fname+" queue_hop", []*Hop{d.QueueHop}, []any{dj["queue_hop"]})
					for i, c := range d.Consumers {
						checkHops(t, fname+" consumer", c.Hops, dj["consumers"].([]any)[i].(map[string]any)["hops"].([]any))
					}
				}
				for s, ff := range scenarios[fname] {
					sj := fj["scenarios"].(map[string]any)[s].(map[string]any)
					what := fname + " in " + s
					same(t, what+" availability", sj["availability"], availability(ff.Availability))
					same(t, what+" latency_mean", sj["latency_mean"], figure(ff.LatencyMean))
					same(t, what+" latency_p99", sj["latency_p99"], figure(ff.LatencyP99))
				}
			}
		})
	}
}

func checkComponent(t *testing.T, r *Results, addr string, cr *ComponentResult, c map[string]any) {
	t.Helper()
	l := cr.Load
	loads := c["instance_load_rps"].([]any)
	if len(loads) != len(l.Instances) {
		t.Fatalf("%s: instance_load_rps = %v, want %d", addr, loads, len(l.Instances))
	}
	for i, v := range l.Instances {
		same(t, fmt.Sprintf("%s instance %d", addr, i), loads[i], figure(v))
	}
	if q := cr.Queue; q != nil {
		qj := c["queue"].(map[string]any)
		same(t, addr+" queue lambda_rps", qj["lambda_rps"], figure(q.Lambda))
		same(t, addr+" queue utilization", qj["utilization"], figure(q.Utilization))
		same(t, addr+" queue response_mean", qj["response_mean"], figure(q.ResponseMean))
		same(t, addr+" queue response_p99", qj["response_p99"], figure(q.ResponseP99))
	}
	for _, s := range r.Failures {
		sl := s.LoadOf(addr)
		if _, ok := s.Load[addr]; !ok && s.Kind != "zone" && s.Kind != "region" {
			sl = l // a component down elsewhere that does not change it
		}
		sj := c["scenarios"].(map[string]any)[s.Name].(map[string]any)
		what := addr + " in " + s.Name
		if sj["down"] != sl.Down {
			t.Errorf("%s: down = %v, want %v", what, sj["down"], sl.Down)
		}
		if sl.Down {
			continue
		}
		same(t, what+" load_rps", sj["load_rps"], figure(sl.Total()))
		if cr.Component.CapacityRPS > 0 {
			same(t, what+" utilization", sj["utilization"], figure(sl.Utilization))
		} else if sj["utilization"] != nil {
			t.Errorf("%s: utilization = %v without capacity_rps", what, sj["utilization"])
		}
		if sj["up"] != float64(sl.Up) {
			t.Errorf("%s: up = %v, want %d", what, sj["up"], sl.Up)
		}
	}
}

func checkHops(t *testing.T, what string, hops []*Hop, hj []any) {
	t.Helper()
	if len(hj) != len(hops) {
		t.Fatalf("%s: %d hops, want %d", what, len(hj), len(hops))
	}
	for i, h := range hops {
		j := hj[i].(map[string]any)
		w := what + " hop " + h.Component.Addr
		same(t, w+" calls_per_request", j["calls_per_request"], figure(h.CallsPerRequest))
		same(t, w+" availability", j["availability"], availability(h.Availability))
		same(t, w+" latency_mean", j["latency_mean"], figure(h.LatencyMean))
		same(t, w+" latency_p99", j["latency_p99"], figure(h.LatencyP99))
	}
}

// same fails unless the decoded JSON value got is want as written (null
// for nil).
func same(t *testing.T, what string, got any, want *float64) {
	t.Helper()
	if want == nil {
		if got != nil {
			t.Errorf("%s = %v, want null", what, got)
		}
		return
	}
	if g, ok := got.(float64); !ok || g != *want {
		t.Errorf("%s = %v, want %v", what, got, *want)
	}
}

// FiniteJSON rounds (and nulls) the floats of a finding's data at any
// depth: in a slice of maps, a map of slices, a named float type, as
// well as plain floats; it keeps strings, bytes and null slices as written.
func TestFiniteJSONNested(t *testing.T) {
	type ratio float64
	data := map[string]any{
		"scenarios": []map[string]any{{"lost": "a", "utilization": 1.2083333333333333}},
		"loads":     map[string][]float64{"a": {999.9999999999998, math.Inf(1)}},
		"ratio":     ratio(0.30000000000000004),
		"names":     []string{"x"},
		"none":      []string(nil),
		"raw":       []byte("ab"),
	}
	b, err := json.Marshal(FiniteJSON(data))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"loads":{"a":[1000,null]},"names":["x"],"none":null,"ratio":0.3,"raw":"YWI=",` +
		`"scenarios":[{"lost":"a","utilization":1.20833333333}]}`
	if string(b) != want {
		t.Errorf("FiniteJSON = %s\nwant          %s", b, want)
	}
}
