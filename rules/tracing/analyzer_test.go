package tracing_test

import (
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
