package tracing_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/tracing"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), tracing.Analyzer)
}

func TestTracer(t *testing.T) {
	for _, tc := range []struct {
		c    lang.Component
		want bool
	}{
		{lang.Component{Role: "tracing", Name: "x"}, true},
		{lang.Component{Role: "telemetry", Image: "jaegertracing/all-in-one:1.57"}, true},
		{lang.Component{Role: "telemetry", Name: "otel_collector"}, true},
		{lang.Component{Role: "telemetry", Image: "prom/prometheus:v2.53.0", Name: "metrics"}, false},
		{lang.Component{Role: "app", Image: "jaegertracing/all-in-one:1.57"}, false},
	} {
		if got := tracing.Tracer(&tc.c); got != tc.want {
			t.Errorf("Tracer(role %q image %q name %q) = %v", tc.c.Role, tc.c.Image, tc.c.Name, got)
		}
	}
}

// The one finding of a design with many untraced flows stays small: its
// related locations and data name the first ten flows, and data counts
// them all.
func TestFindingBounded(t *testing.T) {
	rep := analysistest.RunDesign(t, filepath.Join(analysistest.TestData(), "many.arch.hcl"), tracing.Analyzer)
	if rep == nil || len(rep.Findings) != 1 {
		t.Fatalf("want one finding, got %v", rep)
	}
	f := rep.Findings[0]
	if len(f.Related) != 10 || f.Related[0].Message != `flow "c01" crosses 4 services` {
		t.Errorf("related = %v, want the first 10 flows", f.Related)
	}
	flows, _ := f.Data["flows"].([]map[string]any)
	if len(flows) != 10 || f.Data["flows_total"] != 12 {
		t.Errorf("data lists %d flows of %v, want 10 of 12", len(flows), f.Data["flows_total"])
	}
	if got := flows[0]["services"]; !slices.Equal(got.([]string), []string{"gateway.edge", "service.a", "service.b", "service.c"}) {
		t.Errorf("data's first flow crosses %v", got)
	}
}
