// Package render draws a design: as DOT (written by this package), as SVG
// (laid out by Graphviz), as PNG (the SVG rasterised here), as a Mermaid
// flowchart for Markdown, and as a self-contained HTML report.
//
// The picture carries the analysis: traffic on each edge, utilization on each
// node, and the findings drawn where they apply (see Legend). Render takes
// the analysis results and findings as inputs; it never runs rules itself.
package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// Input is what a diagram is drawn from. Results and Findings may be nil
// (then no figures or findings are drawn).
type Input struct {
	Design   *lang.Design
	Results  *analyze.Results
	Findings []analyze.Finding
	// Suite is the rules that ran (analyze.Report.Suite): the report's
	// summary names each problem class by its rule's noun. Nil: by rule ID.
	Suite []*analyze.Analyzer
	// Scenario, when set, marks a what-if scenario: Design and Results are
	// then the scenario's (analyze.WhatIfResult's Applied.Design and Under).
	Scenario *Scenario
}

// Scenario is what a what-if scenario does to the tiers it draws: those
// down are crossed out (dashed, greyed, "DOWN"), those at utilization 1 or
// more are red.
type Scenario struct {
	Name       string
	Down       map[string]bool
	Overloaded map[string]bool
}

// ScenarioOf is the Scenario of a what-if result.
func ScenarioOf(r *analyze.WhatIfResult) *Scenario {
	s := &Scenario{Name: r.Scenario.Name(), Down: map[string]bool{}, Overloaded: map[string]bool{}}
	for _, t := range r.Tiers {
		switch {
		case t.Down || t.Rerouted != "":
			s.Down[t.Addr] = true
		case t.Overloaded():
			s.Overloaded[t.Addr] = true
		}
	}
	return s
}

// Options choose what a diagram shows.
type Options struct {
	// NoAnalysis draws the bare design: no traffic, utilization or findings.
	NoAnalysis bool
	// Flow, when set, highlights that flow's path (its tiers and the calls
	// that reach them) and dims the rest. It needs Results.
	Flow string
	// Zone, when set, draws only the components placed in that zone, or
	// in a zone of that region when it names a region.
	Zone string
	// Around, when set, draws only the component with that address and
	// the components within Depth edges of it (calls, origins, queues,
	// fallbacks and dead letters, either way). Depth 0 means 1.
	Around string
	Depth  int
	// Tier, when set to one of TierNames, draws only the components of
	// that tier; with Zone, those of that tier in that zone or region.
	Tier string
	// Summary draws the summary view (see SummaryThreshold): one node per
	// region and kind, with counts, instead of every component. It draws
	// the whole design: no Flow, Zone, Around or Tier with it.
	Summary bool
	// DetailLink, with Summary, links each node of the summary (an SVG
	// <a>) to the drawing of the components of its tier in its region
	// (region "" for those spanning regions or placed in none), and each
	// region's frame to that region's (tier ""); nil: no links.
	DetailLink func(region, tier string) string

	// detail, set by the report, draws the members of one detail drawing
	// (see reportLarge); idPrefix prefixes the ids of frames and the
	// legend there.
	detail   *detailSel
	idPrefix string
}

// detailSel is a detail drawing of the report: components of one tier
// whose home (see view.home) is one region (nil: outside every region),
// at most rankedDesign of them, so that each is drawn in exactly one
// drawing and every drawing gets its tiers and rows.
type detailSel struct {
	members  map[*lang.Component]bool
	viewName string
}

// Format is an output format of `archform render`.
type Format string

// Formats.
const (
	FormatDOT     Format = "dot"
	FormatSVG     Format = "svg"
	FormatPNG     Format = "png"
	FormatMermaid Format = "mermaid"
)

// Formats lists every format in the order help text gives them.
var Formats = []Format{FormatDOT, FormatSVG, FormatPNG, FormatMermaid}

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q: want %s", s, strings.Join(names, ", "))
}

// Binary reports whether the format is not text (must not go to a terminal).
func (f Format) Binary() bool { return f == FormatPNG }

// view is the design prepared for drawing: which figures and marks each
// node and edge carries. DOT, Mermaid and the report all draw from it, so
// they agree.
type view struct {
	d        *lang.Design
	res      *analyze.Results
	analysis bool // draw figures and findings
	// rates: draw the figures (requests per second, utilization); with
	// the analysis, unless the design has no traffic at all (no client
	// declares rps, as in a design imported from deployment files), where
	// "0 rps" on every edge and node would say nothing.
	rates bool

	marks     map[string]*nodeMarks // by component address
	edgeMarks map[*lang.Call]*edgeMarks
	originMk  map[*lang.Component]*edgeMarks // cache -> origin relation

	shown    map[*lang.Component]bool // the components drawn; nil: all
	viewName string                   // the view's name for the title, "" for the whole design

	summary    bool                             // draw the summary view (Options.Summary)
	detailLink func(region, tier string) string // Options.DetailLink
	idPrefix   string                           // Options.idPrefix

	flow      *analyze.FlowResult
	flowNodes map[*lang.Component]bool
	flowCalls map[*lang.Call]bool
	flowOrig  map[*lang.Component]bool // caches whose origin relation the flow uses
}

// nodeMarks are the findings drawn on a node.
type nodeMarks struct {
	spof bool
	// The load marks, by the capacity findings: a tier at utilization 1 or
	// more (capacity, error), above its max_utilization target but below 1
	// (capacity, warning), or over capacity only after a failure
	// (zone-failure-capacity, cache-failure-capacity).
	overCapacity, aboveTarget, afterFailure bool
	down                                    bool     // down in the scenario drawn
	over                                    bool     // at utilization 1 or more in the scenario drawn
	conflict                                bool     // a consistency finding with no edge to draw it on (named in the label)
	rules                                   []string // every rule with a finding on this node, sorted, unique
	messages                                []string // finding messages, for tooltips
}

// edgeMarks are the findings drawn on an edge.
type edgeMarks struct {
	conflict bool
	rules    []string
	messages []string
}

// Finding classes, by rule ID. The rules package owns the IDs; render only
// reads them (and does not import rules: cmd wires the findings in).
func isSPOF(rule string) bool { return rule == "spof" }

// isOverload: the tier is (or, after a failure, would be) over capacity.
func isOverload(rule string) bool {
	return rule == "capacity" || strings.HasSuffix(rule, "-failure-capacity")
}

// isConsistency: a consistency or CAP conflict, drawn on the edge it is about.
func isConsistency(rule string) bool {
	switch rule {
	case "consistency", "cap-conflict", "multi-region-conflict", "quorum", "cache-invalidation":
		return true
	}
	return false
}

// FlowError reports a --flow that names no flow of the design, or a flow
// highlight asked for without the analysis it needs.
type FlowError struct {
	Flow   string
	Detail string
}

func (e *FlowError) Error() string { return e.Detail }

func newView(in Input, opts Options) (*view, error) {
	if in.Design == nil {
		return nil, fmt.Errorf("render: no design")
	}
	v := &view{
		d:         in.Design,
		res:       in.Results,
		analysis:  !opts.NoAnalysis && in.Results != nil,
		marks:     map[string]*nodeMarks{},
		edgeMarks: map[*lang.Call]*edgeMarks{},
		originMk:  map[*lang.Component]*edgeMarks{},
		summary:   opts.Summary, detailLink: opts.DetailLink, idPrefix: opts.idPrefix,
	}
	if err := v.selectView(opts); err != nil {
		return nil, err
	}
	if opts.Flow != "" {
		if in.Results == nil {
			return nil, &FlowError{Flow: opts.Flow, Detail: fmt.Sprintf("--flow %s needs the analysis of the design", opts.Flow)}
		}
		fr := in.Results.Flows[opts.Flow]
		if fr == nil {
			return nil, &FlowError{Flow: opts.Flow, Detail: fmt.Sprintf("no flow named %q%s", opts.Flow, flowNames(in.Results))}
		}
		v.flow = fr
		v.flowNodes = map[*lang.Component]bool{}
		v.flowCalls = map[*lang.Call]bool{}
		v.flowOrig = map[*lang.Component]bool{}
		for _, h := range fr.Hops {
			v.flowNodes[h.Component] = true
		}
		for _, h := range fr.Hops {
			switch {
			case h.Via != nil:
				v.flowCalls[h.Via] = true
			case h.Origin:
				for c := range v.flowNodes {
					if c.Origin == h.Component {
						v.flowOrig[c] = true
					}
				}
			}
		}
		// Every sync call between two tiers of the path that matches the
		// flow's op is part of it, not only the first one that reached a tier.
		for c := range v.flowNodes {
			for _, call := range c.Calls {
				if call.Sync() && v.flowNodes[call.To] && call.Op.Matches(fr.Op) {
					v.flowCalls[call] = true
				}
			}
		}
	}
	if v.analysis {
		v.markFindings(analyze.Ungroup(in.Findings))
		v.rates = v.traffic()
	}
	if sc := in.Scenario; sc != nil {
		for addr := range sc.Down {
			v.node(addr).down = true
		}
		for addr := range sc.Overloaded {
			v.node(addr).over = true
		}
	}
	return v, nil
}

// traffic reports whether any component of the design carries load.
func (v *view) traffic() bool {
	for _, c := range v.d.Components {
		if c.Kind == lang.KindClient && c.RPS > 0 {
			return true
		}
		if l := v.load(c); l != nil && l.Total() > 0 {
			return true
		}
	}
	return false
}

func flowNames(res *analyze.Results) string {
	if len(res.FlowOrder) == 0 {
		return " (the design has no flows)"
	}
	return " (flows: " + strings.Join(res.FlowOrder, ", ") + ")"
}

func (v *view) node(addr string) *nodeMarks {
	m := v.marks[addr]
	if m == nil {
		m = &nodeMarks{}
		v.marks[addr] = m
	}
	return m
}

func (v *view) markFindings(fs []analyze.Finding) {
	for _, f := range fs {
		if f.Suppressed != nil {
			continue
		}
		msg := f.Rule + ": " + f.Message
		c := v.subject(f)
		if isConsistency(f.Rule) {
			calls, caches := v.conflictEdges(f, c)
			for _, call := range calls {
				markEdge(v.edgeMarks, call, f.Rule, msg)
			}
			for _, cache := range caches {
				markEdge(v.originMk, cache, f.Rule, msg)
			}
			if len(calls)+len(caches) > 0 && c == nil {
				continue
			}
		}
		if c == nil {
			continue
		}
		m := v.node(c.Addr)
		switch {
		case isSPOF(f.Rule):
			m.spof = true
		case f.Rule == "capacity" && f.Severity >= analyze.Error:
			m.overCapacity = true
		case f.Rule == "capacity":
			m.aboveTarget = true
		case isOverload(f.Rule):
			m.afterFailure = true
		case isConsistency(f.Rule):
			m.conflict = true
		}
		m.rules = addSorted(m.rules, f.Rule)
		m.messages = append(m.messages, msg)
	}
}

// markEdge records a conflict finding on an edge (a call, or a cache's
// origin relation).
func markEdge[K comparable](marks map[K]*edgeMarks, k K, rule, msg string) {
	em := marks[k]
	if em == nil {
		em = &edgeMarks{}
		marks[k] = em
	}
	em.conflict = true
	em.rules = addSorted(em.rules, rule)
	em.messages = append(em.messages, msg)
}

// conflictEdges returns the edges a consistency finding is drawn on: the
// call (or cache origin) its range or a related range points into; else,
// when it is about a component, the reads that reach that component (its
// incoming calls that carry reads, and the misses of caches in front of it).
func (v *view) conflictEdges(f analyze.Finding, c *lang.Component) ([]*lang.Call, []*lang.Component) {
	if call, cache := v.findEdge(f); call != nil {
		return []*lang.Call{call}, nil
	} else if cache != nil {
		return nil, []*lang.Component{cache}
	}
	if c == nil {
		return nil, nil
	}
	var calls []*lang.Call
	for _, call := range v.d.Incoming(c) {
		if call.Op.Matches(lang.OpRead) {
			calls = append(calls, call)
		}
	}
	var caches []*lang.Component
	for _, o := range v.d.Components {
		if o.Origin == c {
			caches = append(caches, o)
		}
	}
	return calls, caches
}

// subject returns the component a finding is about: its Subject, or the
// component whose block holds its range.
func (v *view) subject(f analyze.Finding) *lang.Component {
	if c := v.d.Component(f.Subject); c != nil {
		return c
	}
	for _, c := range v.d.Components {
		if within(f.Range.Filename, f.Range.Start.Byte, f.Range.End.Byte, c.DeclRange.Filename, c.DeclRange.Start.Byte, blockEnd(c)) {
			return c
		}
	}
	return nil
}

// blockEnd is the end of a component's block as far as the model knows it:
// the furthest attribute or call range.
func blockEnd(c *lang.Component) int {
	end := c.DeclRange.End.Byte
	for _, r := range c.Ranges {
		if r.Filename == c.DeclRange.Filename && r.End.Byte > end {
			end = r.End.Byte
		}
	}
	for _, call := range c.Calls {
		if call.DeclRange.Filename == c.DeclRange.Filename && call.DeclRange.End.Byte > end {
			end = call.DeclRange.End.Byte
		}
		for _, r := range call.Ranges {
			if r.End.Byte > end {
				end = r.End.Byte
			}
		}
	}
	return end
}

// findEdge returns the call (or the cache whose origin relation) a finding
// points at: the call block holding its range or one of its related ranges,
// or a cache's origin attribute.
func (v *view) findEdge(f analyze.Finding) (*lang.Call, *lang.Component) {
	ranges := []struct {
		file       string
		start, end int
	}{{f.Range.Filename, f.Range.Start.Byte, f.Range.End.Byte}}
	for _, r := range f.Related {
		ranges = append(ranges, struct {
			file       string
			start, end int
		}{r.Range.Filename, r.Range.Start.Byte, r.Range.End.Byte})
	}
	for _, r := range ranges {
		if r.file == "" {
			continue
		}
		for _, c := range v.d.Components {
			for _, call := range c.Calls {
				end := call.DeclRange.End.Byte
				for _, ar := range call.Ranges {
					if ar.End.Byte > end {
						end = ar.End.Byte
					}
				}
				if within(r.file, r.start, r.end, call.DeclRange.Filename, call.DeclRange.Start.Byte, end) {
					return call, nil
				}
			}
			if c.Origin != nil && c.Has("origin") {
				or := c.Range("origin")
				if within(r.file, r.start, r.end, or.Filename, or.Start.Byte, or.End.Byte) {
					return nil, c
				}
			}
		}
	}
	return nil, nil
}

func within(file string, start, end int, outerFile string, outerStart, outerEnd int) bool {
	return file != "" && file == outerFile && start >= outerStart && end <= outerEnd && start <= end
}

func addSorted(list []string, s string) []string {
	i := sort.SearchStrings(list, s)
	if i < len(list) && list[i] == s {
		return list
	}
	list = append(list, "")
	copy(list[i+1:], list[i:])
	list[i] = s
	return list
}
