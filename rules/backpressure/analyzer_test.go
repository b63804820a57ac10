package backpressure_test

import (
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/backpressure"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), backpressure.Analyzer)
}

func run(t *testing.T, params map[string]float64) map[string]analyze.Finding {
	t.Helper()
	d, diags := lang.Load("testdata/overflow.arch.hcl", lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("design does not load: %v", diags)
	}
	r := analyze.Compute(d)
	out := map[string]analyze.Finding{}
	pass := analyze.NewPass(backpressure.Analyzer, d, func() *analyze.Results { return r }, params, func(f analyze.Finding) {
		out[f.Subject] = f
	})
	if err := backpressure.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	return out
}

// The ORACLES backlog (1000 msg/s, a 10 minute outage: 600000 messages)
// against max_depth 500000: 100000 lost, dropped or refused by overflow;
// the outage parameter scales it.
func TestOverflowData(t *testing.T) {
	fs := run(t, nil)
	for q, overflow := range map[string]string{"queue.jobs": "drop_oldest", "queue.orders": "reject"} {
		f := fs[q]
		if f.Data["backlog"] != 600000.0 || f.Data["lost"] != 100000.0 || f.Data["overflow"] != overflow {
			t.Errorf("%s: data %v, want backlog 600000, lost 100000, overflow %s", q, f.Data, overflow)
		}
	}
	if f := fs["queue.events"]; f.Data["bytes"] != 600000.0*1024 || f.Data["limit_bytes"] != 512.0*1024*1024 {
		t.Errorf("queue.events: data %v, want 600000 KiB against 512 MiB", f.Data)
	}
	if f := fs["queue.slow"]; f.Data["growth_rps"] != 200.0 || f.Data["bytes"] != 120000.0*1024 {
		t.Errorf("queue.slow: data %v, want growth 200 msg/s, 120000 KiB in 600 s", f.Data)
	}
	// A 4 minute outage: 240000 messages fit every max_depth and memory;
	// the queues whose consumers are slower still grow.
	fs = run(t, map[string]float64{"outage": 240})
	if len(fs) != 2 || fs["queue.slow"].Data["backlog"] != 48000.0 || fs["queue.tight"].Message == "" {
		t.Errorf("outage = 240 s: %v, want queue.slow (48000 messages) and queue.tight only", fs)
	}
}
