// Package tracing is the rule that finds flows nobody could follow: a flow
// whose requests cross more than a few services in a design that has no
// tracing component (a trace collector or backend) to put their spans
// together.
package tracing

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

//go:embed doc.md
var doc string

// Analyzer is the tracing rule.
var Analyzer = &analyze.Analyzer{
	ID:       "tracing",
	Summary:  "a flow crossing more than max_services services in a design with no tracing component: a slow or failed request cannot be followed",
	Problem:  analyze.Noun{One: "untraceable flow", Many: "untraceable flows"},
	Doc:      doc,
	Severity: analyze.Info,
	Params: []analyze.Param{{
		Name:    "max_services",
		Doc:     "the most services (gateways and services) a flow may cross before it needs tracing (default 3)",
		Default: 3,
	}},
	Run: run,
}

// tracers are words in a telemetry component's image or name that mark a
// trace collector or backend.
var tracers = []string{"jaeger", "zipkin", "tempo", "otel", "opentelemetry", "tracing", "honeycomb", "lightstep", "xray", "x-ray", "skywalking"}

// Tracer reports whether c collects traces: role = "tracing", or a
// telemetry component whose image or name is a known trace collector.
func Tracer(c *lang.Component) bool {
	switch c.Role {
	case "tracing":
		return true
	case "telemetry":
		s := strings.ToLower(c.Image + " " + c.Name)
		for _, w := range tracers {
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}

func run(pass *analyze.Pass) error {
	for _, c := range pass.Design.Components {
		if Tracer(c) {
			return nil
		}
	}
	r := pass.Results()
	if r == nil {
		return nil
	}
	limit := int(pass.Param("max_services"))
	for _, name := range r.FlowOrder {
		fr := r.Flows[name]
		if fr == nil {
			continue
		}
		var services []string
		for _, h := range fr.Hops {
			if k := h.Component.Kind; k == lang.KindService || k == lang.KindGateway {
				services = append(services, h.Component.Addr)
			}
		}
		if len(services) <= limit {
			continue
		}
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("flow %q crosses %d services (%s) > %d, and the design has no tracing component: a slow or failed request cannot be followed across them",
				fr.Name, len(services), strings.Join(services, ", "), limit),
			Detail: "Each service logs its own part of a request; without a trace id carried from one to the next and a collector that joins the spans, " +
				"finding which of them made a request slow or failed means reading every service's logs by time stamp. " +
				"Add a trace collector the services send spans to: a component with role = \"tracing\" (Jaeger, Zipkin, Tempo, an OpenTelemetry collector, or an external tracing service).",
			Subject: fr.Subject(),
			Key:     "no tracing",
			Range:   fr.DeclRange(),
			Data:    map[string]any{"services": services, "max_services": limit},
		})
	}
	return nil
}
