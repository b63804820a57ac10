package queuecapacity_test

import (
	"math"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/queuecapacity"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), queuecapacity.Analyzer)
}

func run(t *testing.T, path string, params map[string]float64) []analyze.Finding {
	t.Helper()
	d, diags := lang.Load(path, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("design does not load: %v", diags)
	}
	r := analyze.Compute(d)
	var out []analyze.Finding
	pass := analyze.NewPass(queuecapacity.Analyzer, d, func() *analyze.Results { return r }, params, func(f analyze.Finding) {
		out = append(out, f)
	})
	if err := queuecapacity.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	return out
}

// The ORACLES backlog figures are in the findings' data, and the outage
// parameter scales them.
func TestBacklogData(t *testing.T) {
	fs := run(t, "testdata/backlog.arch.hcl", nil)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1 (retention; max_depth is the backpressure rule's): %v", len(fs), fs)
	}
	for _, f := range fs {
		if f.Data["backlog"] != 600000.0 || f.Data["drain_s"] != 1200.0 || f.Data["drain_rps"] != 1500.0 {
			t.Errorf("%s: data %v, want backlog 600000, drain_s 1200, drain_rps 1500", f.Message, f.Data)
		}
	}
	// A 4 minute outage: 240000 messages fit retention.
	if fs := run(t, "testdata/backlog.arch.hcl", map[string]float64{"outage": 240}); len(fs) != 0 {
		t.Errorf("outage = 240 s: %v, want no finding", fs)
	}
	// 8 minutes: over retention (300 s) only.
	fs = run(t, "testdata/backlog.arch.hcl", map[string]float64{"outage": 480})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "backlog = 1000 msg/s × 480 s = 480000 messages (drained in 480000 / (1500 − 1000 msg/s) = 960 s)") ||
		!strings.Contains(fs[0].Message, "retention 300 s: 180000 messages expire") {
		t.Errorf("outage = 480 s: %v", fs)
	}
}

// ORACLES: 12 workers on 8 partitions at 200 msg/s each drain 1600 msg/s.
func TestConsumerData(t *testing.T) {
	fs := run(t, "testdata/consumers.arch.hcl", nil)
	if len(fs) != 2 {
		t.Fatalf("got %v, want the error and the idle workers", fs)
	}
	if f := fs[0]; f.Severity != analyze.Error || f.Data["drain_rps"] != 1600.0 || f.Data["in_rps"] != 2000.0 {
		t.Errorf("slow consumers: %v %v", f.Severity, f.Data)
	}
	if f := fs[1]; f.Severity != analyze.Info || f.Data["idle"] != 4 || f.Data["drain_rps"] != 1600.0 {
		t.Errorf("idle workers: %v %v", f.Severity, f.Data)
	}
}

// Backlog and drain time of ORACLES: 1000 msg/s in, 1500 out, 600 s.
func TestBacklogFormula(t *testing.T) {
	msgs, drain := analyze.Backlog(1000, 1500, 600)
	if msgs != 600000 || drain != 1200 {
		t.Errorf("Backlog(1000, 1500, 600) = %v, %v; want 600000, 1200", msgs, drain)
	}
	if _, drain := analyze.Backlog(1000, 1000, 600); !math.IsInf(drain, 1) {
		t.Errorf("drain at out = in: %v, want +Inf", drain)
	}
}
