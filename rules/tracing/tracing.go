// Package tracing is the rule that finds flows nobody could follow: a flow
// whose requests cross more than a few services in a design that has no
// tracing component (a trace collector or backend) to put their spans
// together. The missing collector is one cause, reported once per design.
package tracing

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the tracing rule.
var Analyzer = &analyze.Analyzer{
	ID:       "tracing",
	Summary:  "a design with no tracing component whose flows cross more than max_services services: a slow or failed request cannot be followed",
	Problem:  analyze.Noun{One: "design without tracing", Many: "designs without tracing"},
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

// maxRelated is how many flows the finding points at and its data lists:
// the finding's size does not grow with the design (flows_total counts them
// all; lint's JSON lists every flow's path).
const maxRelated = 10

// untraced is a flow that crosses more than max_services services.
type untraced struct {
	flow     *analyze.FlowResult
	services []string
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
	var flows []untraced
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
		if len(services) > limit {
			flows = append(flows, untraced{fr, services})
		}
	}
	if len(flows) == 0 {
		return nil
	}
	pass.Report(finding(pass.Design, flows, limit))
	return nil
}

// finding is the rule's one finding: the design has no trace collector, and
// these flows need one. It is on the system block (one cause, one finding,
// however many flows), or on the first flow when the design has no system
// block.
func finding(d *lang.Design, flows []untraced, limit int) analyze.Finding {
	names := make([]string, len(flows))
	for i, u := range flows {
		names[i] = fmt.Sprintf("%s: %s", u.flow.Name, lang.Count(len(u.services), "service", "services"))
	}
	verb := "crosses"
	if len(flows) > 1 {
		verb = "cross"
	}
	what := formula.Names(names)
	if len(flows) == 1 {
		what = flows[0].flow.Name + ": " + formula.Names(flows[0].services)
	}
	subject, rng := flows[0].flow.Subject(), flows[0].flow.DeclRange()
	if d.System != nil {
		subject, rng = "system."+d.System.Name, d.System.DeclRange
	}
	shown := flows[:min(len(flows), maxRelated)]
	related := make([]analyze.Related, len(shown))
	listed := make([]map[string]any, len(shown))
	for i, u := range shown {
		related[i] = analyze.Related{
			Message: fmt.Sprintf("flow %q crosses %s", u.flow.Name, lang.Count(len(u.services), "service", "services")),
			Range:   u.flow.DeclRange(),
		}
		listed[i] = map[string]any{"flow": u.flow.Name, "services": u.services}
	}
	data := map[string]any{"flows": listed, "max_services": limit}
	if len(flows) > maxRelated {
		data["flows_total"] = len(flows)
	}
	return analyze.Finding{
		Message: fmt.Sprintf("%s %s more than %d services (%s), and the design has no tracing component: a slow or failed request cannot be followed across them",
			lang.Count(len(flows), "flow", "flows"), verb, limit, what),
		Detail: "Each service logs its own part of a request; without a trace id carried from one to the next and a collector that joins the spans, " +
			"finding which of them made a request slow or failed means reading every service's logs by time stamp. " +
			"Add a trace collector the services send spans to: a component with role = \"tracing\" (Jaeger, Zipkin, Tempo, an OpenTelemetry collector, or an external tracing service).",
		Subject: subject,
		Key:     "no tracing",
		Range:   rng,
		Related: related,
		Data:    data,
	}
}
