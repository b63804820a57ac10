package render

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// Report writes one self-contained HTML page: the diagram (inline SVG), the
// findings (each linked to its node in the diagram), each component's
// figures and each flow's availability and latency against its objectives.
// The page loads nothing at view time: no scripts, styles or fonts from
// elsewhere. It needs the analysis (in.Results).
func Report(ctx context.Context, w io.Writer, in Input, layout Layout) error {
	if in.Results == nil {
		return fmt.Errorf("render: the report needs the analysis of the design")
	}
	if Large(in.Design) {
		return reportLarge(ctx, w, in, layout)
	}
	svg, err := svgBytes(ctx, in, Options{}, layout)
	if err != nil {
		return err
	}
	return ReportWithSVG(w, in, svg)
}

// reportLarge writes the report of a design past SummaryThreshold: its
// summary view as the diagram, each node linked to a detail drawing below
// it, one for each tier of each region (and of the components in no single
// region), so that every component is drawn once, at a size that reads.
func reportLarge(ctx context.Context, w io.Writer, in Input, layout Layout) error {
	svg, err := svgBytes(ctx, in, Options{Summary: true, DetailLink: func(region, tier string) string {
		return "#" + DetailID(region, tier)
	}}, layout)
	if err != nil {
		return err
	}
	data, err := reportData(in, svg)
	if err != nil {
		return err
	}
	v, err := newView(in, Options{})
	if err != nil {
		return err
	}
	for _, dd := range v.detailDrawings() {
		svg, err := svgBytes(ctx, in, Options{detail: dd.sel, idPrefix: dd.ID + "."}, layout)
		if err != nil {
			return err
		}
		dd.Diagram, err = inlineSVG(svg)
		if err != nil {
			return err
		}
		data.Details = append(data.Details, dd.reportDetail)
	}
	data.Summarised = len(in.Design.Components)
	return writeReport(w, data)
}

// detailDrawing is one detail drawing of a large design's report, before
// it is laid out.
type detailDrawing struct {
	reportDetail
	sel *detailSel
}

// detailDrawings lists the report's detail drawings: for each region in
// declaration order (then the components in no single region), each tier
// top to bottom, the components whose home is that region, in source
// order. A tier of more than rankedDesign components is drawn in parts of
// at most that many, so that each part is laid out in tiers and rows (one
// Graphviz row of 300 databases is 35,000 points wide).
func (v *view) detailDrawings() []detailDrawing {
	var out []detailDrawing
	regions := append(append([]*lang.Region(nil), v.d.Regions...), nil)
	for _, r := range regions {
		first := true
		for t := tierEntry; t < numTiers; t++ {
			var members []*lang.Component
			for _, c := range v.d.Components {
				if _, home := v.home(c); home == r && tierOf(c.Kind) == t {
					members = append(members, c)
				}
			}
			name, where := "", "in no single region"
			if r != nil {
				name, where = r.Name, "region "+r.Name
			}
			parts := (len(members) + rankedDesign - 1) / rankedDesign
			for p := range parts {
				part := members[p*len(members)/parts : (p+1)*len(members)/parts]
				id, viewName := DetailID(name, t.String()), t.String()+" tier, "+where
				if parts > 1 {
					viewName += fmt.Sprintf(", part %d of %d", p+1, parts)
					if p > 0 {
						id += "." + strconv.Itoa(p+1)
					}
				}
				dd := detailDrawing{reportDetail: reportDetail{ID: id, Title: viewName + ": " + lang.Count(len(part), "component", "components")},
					sel: &detailSel{members: map[*lang.Component]bool{}, viewName: viewName}}
				for _, c := range part {
					dd.sel.members[c] = true
				}
				if first && r != nil {
					dd.RegionID = DetailID(name, "")
				}
				first = false
				out = append(out, dd)
			}
		}
	}
	return out
}

// ReportWithSVG writes the report around an SVG already drawn by SVG with
// default Options (as `archform build` does, to lay the diagram out once).
func ReportWithSVG(w io.Writer, in Input, svg []byte) error {
	if in.Results == nil {
		return fmt.Errorf("render: the report needs the analysis of the design")
	}
	data, err := reportData(in, svg)
	if err != nil {
		return err
	}
	return writeReport(w, data)
}

func writeReport(w io.Writer, data *reportPage) error {
	var buf bytes.Buffer
	if err := reportTmpl().Execute(&buf, data); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

type reportPage struct {
	Title       string
	Description string
	Source      string
	Errors      int
	Warnings    int
	Infos       int
	Suppressed  int
	// Counted is the counts in words, plurals right: "1 error", "2 warnings".
	Counted []string
	// Classes is the summary read first: a line per problem class, the
	// most severe first (analyze.Classes).
	Classes    []reportClass
	Diagram    template.HTML
	Findings   []reportFinding
	Quiet      []reportFinding // suppressed
	Components []reportComponent
	Flows      []reportFlow
	// Summarised is the number of components of a design past
	// SummaryThreshold, whose diagram is its summary; Details are then
	// its detail drawings.
	Summarised int
	Details    []reportDetail
}

// reportDetail is one detail drawing of a large design's report.
type reportDetail struct {
	ID, RegionID, Title string
	Diagram             template.HTML
}

type reportClass struct{ Severity, Text, Rules string }

type reportFinding struct {
	Severity, Rule, Message, Detail, Where string
	// Grouped are the findings grouped into this one, a line each ("Same
	// cause: ... (spof, shop.arch.hcl:43:3)").
	Grouped []string
	Subject string
	Anchor  string // node id in the diagram, "" when none
	RowID   string // "findings-ADDR" on the first finding of each component
	Reason  string // suppression reason
}

type reportComponent struct {
	Addr, Kind, Instances, Zones    string
	Load, Utilization, Availability string
	Downtime                        string
	LatencyMean, LatencyP99         string
	UtilClass                       string // "", "warn" or "bad"
	Findings                        int
}

type reportFlow struct {
	Name, Entry, Op               string
	ReadRPS, WriteRPS             string
	Availability, AvailabilitySLO string
	Downtime, DowntimeSLO         string
	AvailClass                    string
	LatencyP99, LatencyP99SLO     string
	LatencyClass                  string
	LatencyMean                   string
	// Tree is the flow's call tree, a line per tier drawn with box
	// characters (flowTree).
	Tree string
}

// inlineSVG strips the XML declaration, DOCTYPE and comments Graphviz puts
// before the <svg> element, for embedding in HTML.
func inlineSVG(svg []byte) (template.HTML, error) {
	i := bytes.Index(svg, []byte("<svg"))
	if i < 0 {
		return "", fmt.Errorf("render: the layout produced no <svg> element")
	}
	// The SVG comes from Graphviz laying out DOT this package wrote, with
	// every label escaped; it holds no script.
	return template.HTML(bytes.TrimSpace(svg[i:])), nil
}

func reportData(in Input, svg []byte) (*reportPage, error) {
	d, res := in.Design, in.Results
	diagram, err := inlineSVG(svg)
	if err != nil {
		return nil, err
	}
	p := &reportPage{Title: "design", Diagram: diagram, Source: d.Dir}
	if d.System != nil {
		p.Title, p.Description = d.System.Name, d.System.Description
	}
	perComponent := map[string]int{}
	for _, f := range in.Findings {
		rf := reportFinding{
			Severity: f.Severity.String(), Rule: f.Rule, Message: f.Message, Detail: f.Detail,
			Subject: f.Subject, Where: where(f),
		}
		if d.Component(f.Subject) != nil {
			rf.Anchor = f.Subject
		}
		for i := range f.Grouped {
			m := &f.Grouped[i]
			label := "Also"
			if m.Cause != "" && m.Cause == f.Cause {
				label = "Same cause"
			}
			where := m.Rule
			if w := whereOf(m); w != "" {
				where += ", " + w
			}
			rf.Grouped = append(rf.Grouped, label+": "+m.Message+" ("+where+")")
		}
		if f.Suppressed != nil {
			rf.Reason = f.Suppressed.Reason
			p.Quiet = append(p.Quiet, rf)
			p.Suppressed++
			continue
		}
		if rf.Anchor != "" && perComponent[f.Subject] == 0 {
			rf.RowID = "findings-" + f.Subject
		}
		perComponent[f.Subject]++
		switch f.Severity {
		case analyze.Error:
			p.Errors++
		case analyze.Warning:
			p.Warnings++
		default:
			p.Infos++
		}
		p.Findings = append(p.Findings, rf)
	}
	// The most severe first; in source order within a severity.
	rank := map[string]int{"error": 0, "warning": 1, "info": 2}
	slices.SortStableFunc(p.Findings, func(a, b reportFinding) int { return rank[a.Severity] - rank[b.Severity] })
	p.Counted = []string{lang.Count(p.Errors, "error", "errors"), lang.Count(p.Warnings, "warning", "warnings"), lang.Count(p.Infos, "info", "info")}
	for _, c := range analyze.Classes(in.Findings, in.Suite) {
		p.Classes = append(p.Classes, reportClass{Severity: c.Severity.String(), Text: c.Text(), Rules: strings.Join(c.Rules, ", ")})
	}
	for _, c := range d.Components {
		rc := reportComponent{Addr: c.Addr, Kind: kindText(c), Instances: instancesText(c),
			Zones: strings.Join(c.Zones, ", "), Findings: perComponent[c.Addr]}
		if cr := res.Components[c.Addr]; cr != nil {
			if cr.Load != nil {
				rc.Load = fmtRate(cr.Load.Total())
				if cr.Load.Utilization > 0 {
					rc.Utilization = fmtPercent(cr.Load.Utilization)
					switch {
					case cr.Load.Utilization >= 1:
						rc.UtilClass = "bad"
					case c.MaxUtilization > 0 && cr.Load.Utilization > c.MaxUtilization:
						rc.UtilClass = "warn"
					}
				}
			}
			if cr.Availability > 0 {
				rc.Availability, rc.Downtime = analyze.Nines(cr.Availability), analyze.Downtime(cr.Availability)
				if kn := cr.KOfNText(); kn != "" {
					rc.Availability += " (" + kn + ")"
				}
			}
			rc.LatencyMean, rc.LatencyP99 = fmtMS(cr.LatencyMean), fmtMS(cr.LatencyP99)
		}
		p.Components = append(p.Components, rc)
	}
	for _, name := range res.FlowOrder {
		fr := res.Flows[name]
		if fr == nil {
			continue
		}
		rf := reportFlow{Name: name, Op: string(fr.Op), ReadRPS: fmtRate(fr.ReadRPS), WriteRPS: fmtRate(fr.WriteRPS),
			Availability: analyze.Nines(fr.Availability), Downtime: analyze.Downtime(fr.Availability), LatencyP99: fmtMS(fr.LatencyP99), LatencyMean: fmtMS(fr.LatencyMean)}
		if fr.Entry != nil {
			rf.Entry = fr.Entry.Addr
		}
		var slo lang.SLO
		if fr.Flow != nil {
			slo = fr.Flow.SLO
		} else if d.System != nil {
			slo = d.System.SLO
		}
		if slo.Availability > 0 {
			rf.AvailabilitySLO, rf.DowntimeSLO = analyze.Nines(slo.Availability), analyze.Downtime(slo.Availability)
			rf.AvailClass = passClass(fr.Availability >= slo.Availability)
		}
		if slo.LatencyP99 > 0 {
			target := float64(slo.LatencyP99) / 1e6
			rf.LatencyP99SLO = fmtMS(target)
			rf.LatencyClass = passClass(fr.LatencyP99 <= target)
		}
		rf.Tree = flowTree(fr)
		p.Flows = append(p.Flows, rf)
	}
	return p, nil
}

func passClass(ok bool) string {
	if ok {
		return "ok"
	}
	return "bad"
}

func where(f analyze.Finding) string { return whereOf(&f) }

func whereOf(f *analyze.Finding) string {
	if f.Range.Filename == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", filepath.Base(f.Range.Filename), f.Range.Start.Line, f.Range.Start.Column)
}

// flowTree draws a flow's hops as its call tree, each tier under the tier
// whose call (or cache miss) reaches it first (Hop.From), with a database's
// role and a tier the flow can do without marked; a delivery's queue hangs
// under the tier that writes to it, and each consumer's path under the
// queue:
//
//	client.web
//	└─ load_balancer.edge
//	   └─ service.api
//	      ├─ cache.sessions (optional)
//	      │  └─ database.orders (replicas)
//	      └─ database.orders (primary)
func flowTree(fr *analyze.FlowResult) string {
	roots, first := hopTree(fr.Hops)
	if dl := fr.Delivery; dl != nil && dl.QueueHop != nil {
		q := &treeNode{hop: dl.QueueHop, note: "async"}
		if p := first[dl.QueueHop.From]; dl.QueueHop.From != nil && p != nil {
			p.kids = append(p.kids, q)
		} else {
			roots = append(roots, q)
		}
		for _, c := range dl.Consumers {
			croots, _ := hopTree(c.Hops)
			for _, r := range croots {
				r.note = "consumes"
			}
			q.kids = append(q.kids, croots...)
		}
	}
	var b strings.Builder
	var draw func(n *treeNode, prefix, branch, next string)
	draw = func(n *treeNode, prefix, branch, next string) {
		h := n.hop
		b.WriteString(prefix + branch + h.Component.Addr)
		var notes []string
		switch h.Role {
		case lang.RolePrimary:
			notes = append(notes, "primary")
		case lang.RoleReplica:
			notes = append(notes, "replicas")
		}
		if h.Soft && !h.Required {
			notes = append(notes, "optional")
		}
		if n.note != "" {
			notes = append(notes, n.note)
		}
		if len(notes) > 0 {
			b.WriteString(" (" + strings.Join(notes, ", ") + ")")
		}
		b.WriteString("\n")
		for i, k := range n.kids {
			if i == len(n.kids)-1 {
				draw(k, prefix+next, "└─ ", "   ")
			} else {
				draw(k, prefix+next, "├─ ", "│  ")
			}
		}
	}
	for _, r := range roots {
		draw(r, "", "", "")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

type treeNode struct {
	hop  *analyze.Hop
	note string
	kids []*treeNode
}

// hopTree links hops (listed breadth first) to their parents (Hop.From,
// a component's first hop) and returns the roots, and each component's
// first node.
func hopTree(hops []*analyze.Hop) ([]*treeNode, map[*lang.Component]*treeNode) {
	first := map[*lang.Component]*treeNode{}
	var roots []*treeNode
	for _, h := range hops {
		n := &treeNode{hop: h}
		if p := first[h.From]; h.From != nil && p != nil {
			p.kids = append(p.kids, n)
		} else {
			roots = append(roots, n)
		}
		if first[h.Component] == nil {
			first[h.Component] = n
		}
	}
	return roots, first
}

// fmtMS prints milliseconds: "23.00 ms".
func fmtMS(ms float64) string {
	if ms <= 0 {
		return ""
	}
	return strconv.FormatFloat(ms, 'f', 2, 64) + " ms"
}

// reportTmpl is parsed on first use, not at every archform start.
var reportTmpl = sync.OnceValue(func() *template.Template {
	t := template.Must(template.New("report").Parse(reportHTML))
	template.Must(t.New("zoom").Parse(zoomButtons))
	return t
})

// zoomButtons are the buttons of each diagram's frame.
const zoomButtons = `<button type="button" data-zoom="1.25" title="zoom in">+</button><button type="button" data-zoom="0.8" title="zoom out">−</button><button type="button" data-zoom="1" title="actual size">100%</button><button type="button" data-zoom="fit" title="fit the width">fit</button>`

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="archform">
<title>{{.Title}} — archform report</title>
<style>
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #263238; }
h1 { margin-bottom: 0.2rem; }
.muted { color: #78909c; }
.summary span { display: inline-block; margin-right: 1rem; padding: 0.2rem 0.6rem; border-radius: 0.8rem; background: #eceff1; }
.summary .error { background: #ffcdd2; } .summary .warning { background: #ffe0b2; }
figure { margin: 1rem 0; border: 1px solid #cfd8dc; border-radius: 6px; padding: 0; position: relative; }
.viewport { overflow: auto; max-height: 80vh; cursor: grab; }
.viewport.panning { cursor: grabbing; }
.viewport svg { display: block; transform-origin: 0 0; }
.zoom { position: absolute; right: 0.5rem; top: 0.5rem; z-index: 1; }
.zoom button { font: inherit; min-width: 2.2rem; margin-left: 0.2rem; }
g.node:target path, g.node:target polygon, g.node:target ellipse, g.node.found path, g.node.found polygon, g.node.found ellipse { stroke: #1565c0; stroke-width: 5px; }
g.node[data-findings] { cursor: pointer; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #eceff1; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f5f7f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.sev-error { color: #c62828; font-weight: bold; } .sev-warning { color: #e65100; font-weight: bold; } .sev-info { color: #1565c0; }
.ok { color: #2e7d32; } .bad { color: #c62828; font-weight: bold; } .warn { color: #e65100; font-weight: bold; }
details { color: #546e7a; font-size: 0.85rem; white-space: pre-wrap; }
tr:target { background: #e3f2fd; }
ul.classes { list-style: none; padding: 0; margin: 0.5rem 0; } ul.classes li { margin: 0.15rem 0; }
ul.grouped { margin: 0.3rem 0; padding-left: 1.2rem; color: #546e7a; font-size: 0.85rem; }
pre.tree { margin: 0; font-size: 0.8rem; line-height: 1.25; color: #546e7a; }
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{with .Description}}<p>{{.}}</p>{{end}}
<p class="muted">archform report of {{.Source}}</p>
<p class="summary" id="summary"><span class="error">{{index .Counted 0}}</span><span class="warning">{{index .Counted 1}}</span><span>{{index .Counted 2}}</span><span>{{.Suppressed}} suppressed</span></p>
{{if .Classes}}<ul class="classes" id="classes">
{{range .Classes}}<li><span class="sev-{{.Severity}}">{{.Severity}}</span> {{.Text}} <span class="muted">({{.Rules}})</span></li>
{{end}}</ul>{{end}}
</header>

<section id="diagram">
<h2>Diagram</h2>
<figure>
<div id="zoom" class="zoom">{{template "zoom"}}</div>
<div id="viewport" class="viewport">
{{.Diagram}}
</div>
</figure>
<p class="muted">Drag to pan, Ctrl+wheel or the buttons to zoom; a finding's subject shows its node, a node with findings shows its findings.{{if .Summarised}} The design has {{.Summarised}} components: this is its summary, one node per region and kind; click a node for the drawing of its tier in its region below.{{end}}</p>
</section>
{{if .Details}}
<section id="details">
<h2>Details</h2>
{{range .Details}}{{with .RegionID}}<span id="{{.}}"></span>{{end}}<h3 id="{{.ID}}">{{.Title}}</h3>
<figure>
<div class="zoom">{{template "zoom"}}</div>
<div class="viewport">
{{.Diagram}}
</div>
</figure>
{{end}}</section>
{{end}}
<section id="findings">
<h2>Findings</h2>
{{if .Findings}}<table id="findings-table">
<thead><tr><th>Severity</th><th>Rule</th><th>Subject</th><th>Finding</th><th>Where</th></tr></thead>
<tbody>
{{range .Findings}}<tr class="finding"{{with .RowID}} id="{{.}}"{{end}}>
<td class="sev-{{.Severity}}">{{.Severity}}</td>
<td><code>{{.Rule}}</code></td>
<td>{{if .Anchor}}<a href="#{{.Anchor}}">{{.Subject}}</a>{{else}}{{.Subject}}{{end}}</td>
<td>{{.Message}}{{with .Grouped}}<ul class="grouped">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}{{with .Detail}}<details><summary>details</summary>{{.}}</details>{{end}}</td>
<td class="muted">{{.Where}}</td>
</tr>
{{end}}</tbody>
</table>{{else}}<p id="findings-table">No findings.</p>{{end}}
{{if .Quiet}}<h3>Suppressed</h3>
<table>
<thead><tr><th>Rule</th><th>Subject</th><th>Finding</th><th>Reason</th></tr></thead>
<tbody>
{{range .Quiet}}<tr><td><code>{{.Rule}}</code></td><td>{{.Subject}}</td><td>{{.Message}}</td><td>{{.Reason}}</td></tr>
{{end}}</tbody>
</table>{{end}}
</section>

<section id="components">
<h2>Components</h2>
<table>
<thead><tr><th>Component</th><th>Kind</th><th>Instances</th><th>Zones</th><th>Load (rps)</th><th>Utilization</th><th>Availability</th><th>Latency mean</th><th>Latency p99</th><th>Findings</th></tr></thead>
<tbody>
{{range .Components}}<tr id="component-{{.Addr}}">
<td><a href="#{{.Addr}}">{{.Addr}}</a></td><td>{{.Kind}}</td><td>{{.Instances}}</td><td>{{.Zones}}</td>
<td class="num">{{.Load}}</td><td class="num {{.UtilClass}}">{{.Utilization}}</td><td class="num">{{.Availability}}{{with .Downtime}}<br><span class="muted">{{.}} down</span>{{end}}</td>
<td class="num">{{.LatencyMean}}</td><td class="num">{{.LatencyP99}}</td><td class="num">{{if .Findings}}<a href="#findings-{{.Addr}}">{{.Findings}}</a>{{end}}</td>
</tr>
{{end}}</tbody>
</table>
</section>

<section id="flows">
<h2>Flows</h2>
{{if .Flows}}<table>
<thead><tr><th>Flow</th><th>Entry</th><th>Op</th><th>Reads (rps)</th><th>Writes (rps)</th><th>Availability</th><th>SLO</th><th>Latency p99</th><th>SLO</th><th>Latency mean</th><th>Path (call tree)</th></tr></thead>
<tbody>
{{range .Flows}}<tr id="flow-{{.Name}}">
<td>{{.Name}}</td><td>{{.Entry}}</td><td>{{.Op}}</td><td class="num">{{.ReadRPS}}</td><td class="num">{{.WriteRPS}}</td>
<td class="num {{.AvailClass}}">{{.Availability}}<br><span class="muted">{{.Downtime}} down</span></td><td class="num">{{.AvailabilitySLO}}{{with .DowntimeSLO}}<br><span class="muted">{{.}} down</span>{{end}}</td>
<td class="num {{.LatencyClass}}">{{.LatencyP99}}</td><td class="num">{{.LatencyP99SLO}}</td>
<td class="num">{{.LatencyMean}}</td><td><pre class="tree">{{.Tree}}</pre></td>
</tr>
{{end}}</tbody>
</table>{{else}}<p>No flows.</p>{{end}}
</section>
<script>
// Each diagram at its actual size (every text at least 9 px), zoomable and
// pannable; following a link to a node centres and outlines it; a node with
// findings leads to them.
(function () {
  var frames = [], drag = null;
  document.querySelectorAll("figure").forEach(function (fig) {
    var vp = fig.querySelector(".viewport"), svg = vp && vp.querySelector("svg");
    if (!svg) return;
    var w = svg.width.baseVal.value, h = svg.height.baseVal.value, k = 1;
    function zoom(z, cx, cy) {
      var x = (vp.scrollLeft + cx) / k, y = (vp.scrollTop + cy) / k;
      k = Math.min(4, Math.max(0.1, z));
      svg.style.width = w * k + "px"; svg.style.height = h * k + "px";
      vp.scrollLeft = x * k - cx; vp.scrollTop = y * k - cy;
    }
    fig.querySelector(".zoom").addEventListener("click", function (e) {
      var z = e.target.getAttribute("data-zoom");
      if (!z) return;
      zoom(z === "fit" ? vp.clientWidth / w : z === "1" ? 1 : k * z, vp.clientWidth / 2, vp.clientHeight / 2);
    });
    vp.addEventListener("wheel", function (e) {
      if (!e.ctrlKey) return;
      e.preventDefault();
      var r = vp.getBoundingClientRect();
      zoom(k * (e.deltaY < 0 ? 1.1 : 1 / 1.1), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    vp.addEventListener("mousedown", function (e) { drag = { vp: vp, x: e.clientX, y: e.clientY, l: vp.scrollLeft, t: vp.scrollTop, moved: false }; vp.classList.add("panning"); });
    frames.push({ fig: fig, vp: vp, svg: svg });
  });
  window.addEventListener("mousemove", function (e) {
    if (!drag) return;
    if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) drag.moved = true;
    drag.vp.scrollLeft = drag.l - (e.clientX - drag.x); drag.vp.scrollTop = drag.t - (e.clientY - drag.y);
  });
  window.addEventListener("mouseup", function () { if (drag) drag.vp.classList.remove("panning"); setTimeout(function () { drag = null; }, 0); });
  function show() {
    var id = decodeURIComponent(location.hash.slice(1)), el = document.getElementById(id);
    var f = el && frames.filter(function (f) { return f.svg.contains(el); })[0];
    if (!f) return;
    document.querySelectorAll(".found").forEach(function (x) { x.classList.remove("found"); });
    el.classList.add("found");
    var b = el.getBoundingClientRect(), r = f.vp.getBoundingClientRect();
    f.vp.scrollLeft += b.left + b.width / 2 - r.left - f.vp.clientWidth / 2;
    f.vp.scrollTop += b.top + b.height / 2 - r.top - f.vp.clientHeight / 2;
    f.fig.scrollIntoView();
  }
  window.addEventListener("hashchange", show);
  show();
  frames.forEach(function (f) {
    f.svg.querySelectorAll("g.node").forEach(function (g) {
      if (!document.getElementById("findings-" + g.id)) return;
      g.setAttribute("data-findings", "");
      g.addEventListener("click", function () { if (!drag || !drag.moved) location.hash = "findings-" + g.id; });
    });
  });
})();
</script>
</body>
</html>
`
