package render

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/archform/archform/lang"
)

// DOT writes the design as a Graphviz digraph.
//
// Node IDs are component addresses ("service.api"), quoted; the output is
// byte-identical for the same input: components, calls, regions and zones are
// written in source order.
//
// Placement: a component whose zones all lie in one zone is drawn inside that
// zone's cluster; one spread over several zones of one region is drawn in the
// region's cluster (outside any zone) and lists its zones on the node; one
// spread over several regions, or without zones, is drawn outside every
// cluster. A zone cluster is drawn only when some component lives in that
// zone alone.
func DOT(w io.Writer, in Input, opts Options) error {
	v, err := newView(in, opts)
	if err != nil {
		return err
	}
	var b dotBuf
	v.writeDOT(&b)
	_, err = w.Write(b.Bytes())
	return err
}

// largeDesign is the size (in components) past which the DOT limits
// Graphviz's layout iterations.
const largeDesign = 300

// dotBuf writes DOT statements with indentation.
type dotBuf struct {
	bytes.Buffer
	depth int
}

// attr is one DOT attribute. HTML values are written as <...>, others quoted.
type attr struct {
	key, val string
	html     bool
}

func (b *dotBuf) line(s string) {
	for range b.depth {
		b.WriteString("  ")
	}
	b.WriteString(s)
	b.WriteByte('\n')
}

func (b *dotBuf) stmt(head string, attrs []attr) {
	if len(attrs) == 0 {
		b.line(head)
		return
	}
	var s strings.Builder
	s.WriteString(head)
	s.WriteString(" [")
	for i, a := range attrs {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteString(a.key)
		s.WriteByte('=')
		if a.html {
			s.WriteString("<" + a.val + ">")
		} else {
			s.WriteString(dotQuote(a.val))
		}
	}
	s.WriteString("]")
	b.line(s.String())
}

// dotQuote quotes a DOT ID or string value: backslashes and double quotes
// are escaped and line breaks become \n (a centred line in a label).
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// htmlText escapes text for a Graphviz HTML-like label.
func htmlText(s string) string { return html.EscapeString(s) }

func (v *view) title() string {
	name := "design"
	if v.d.System != nil && v.d.System.Name != "" {
		name = v.d.System.Name
	}
	if v.viewName != "" {
		name += " — " + v.viewName
	}
	if v.flow != nil {
		name += " — flow " + v.flow.Name
	}
	return name
}

// fid is the SVG id of a frame, note or legend element: prefixed in the
// report's detail drawings, so that ids stay unique in the page.
func (v *view) fid(id string) string { return v.idPrefix + id }

func (v *view) writeDOT(b *dotBuf) {
	if v.summary {
		v.writeSummaryDOT(b)
		return
	}
	v.writeHeader(b, "0.35", "0.5")
	if v.idPrefix != "" {
		b.stmt("graph", []attr{{key: "id", val: v.fid("graph")}})
	}
	comps := v.comps()
	if len(comps) <= rankedDesign {
		// rank=same across frames (see writeRanks).
		b.stmt("graph", []attr{{key: "newrank", val: "true"}})
	}
	if len(comps) > largeDesign {
		// Graphviz's crossing minimisation, network simplex and spline
		// routing grow fast with size; past a few hundred components their
		// defaults take minutes for a picture read as an overview. Straight
		// edges and fewer iterations take seconds.
		b.stmt("graph", []attr{{key: "nslimit", val: "1"}, {key: "nslimit1", val: "1"},
			{key: "mclimit", val: "0.3"}, {key: "splines", val: "line"}})
	}
	v.writeDefaults(b)

	pl := v.placements()
	// Regions and their zones, in declaration order. Every region of the
	// design is framed; a region without a component placed in it alone
	// says what runs there (components spanning regions, standby copies).
	for _, r := range v.d.Regions {
		members := pl.byRegion[r]
		zoneMembers := 0
		for _, z := range r.Zones {
			zoneMembers += len(pl.byZone[z])
		}
		note := v.regionNote(r)
		if len(members) == 0 && zoneMembers == 0 && (v.filtered() || note == "") {
			continue
		}
		b.line("")
		b.line("subgraph " + dotQuote("cluster_region_"+r.Name) + " {")
		b.depth++
		b.stmt("graph", []attr{
			{key: "label", val: "region " + r.Name}, {key: "id", val: v.fid("region." + r.Name)},
			{key: "style", val: "rounded,dashed"}, {key: "color", val: colCluster},
			{key: "fontcolor", val: colCluster}, {key: "fontsize", val: "12"},
		})
		for _, z := range r.Zones {
			zm := pl.byZone[z]
			if len(zm) == 0 {
				continue
			}
			b.line("subgraph " + dotQuote("cluster_zone_"+z.Name) + " {")
			b.depth++
			b.stmt("graph", []attr{
				{key: "label", val: "zone " + z.Name}, {key: "id", val: v.fid("zone." + z.Name)},
				{key: "style", val: "rounded,filled"}, {key: "color", val: colCluster},
				{key: "fillcolor", val: colZoneFill}, {key: "fontcolor", val: colCluster}, {key: "fontsize", val: "11"},
			})
			for _, c := range zm {
				v.writeNode(b, c)
			}
			b.depth--
			b.line("}")
		}
		for _, c := range members {
			v.writeNode(b, c)
		}
		if note != "" {
			var lines []string
			for _, l := range strings.Split(note, "\n") {
				lines = append(lines, htmlText(l))
			}
			b.stmt(dotQuote("note.region."+r.Name), []attr{
				{key: "id", val: v.fid("note.region." + r.Name)}, {key: "shape", val: "note"}, {key: "style", val: "filled"},
				{key: "fillcolor", val: colZoneFill}, {key: "color", val: colCluster}, {key: "fontcolor", val: colCluster},
				{key: "fontsize", val: "9"}, {key: "label", val: strings.Join(lines, "<BR/>"), html: true},
			})
		}
		b.depth--
		b.line("}")
	}
	if len(pl.top) > 0 {
		b.line("")
	}
	for _, c := range pl.top {
		v.writeNode(b, c)
	}

	b.line("")
	for _, c := range comps {
		v.writeEdges(b, c)
	}
	last := v.writeRanks(b, comps)
	v.writeLegend(b, last)
	b.depth--
	b.line("}")
}

// writeHeader opens the digraph: its title and layout attributes.
func (v *view) writeHeader(b *dotBuf, nodesep, ranksep string) {
	b.line("// Drawn by archform from " + strings.ReplaceAll(v.title(), "\n", " ") + ".")
	b.line("digraph " + dotQuote(v.title()) + " {")
	b.depth++
	b.stmt("graph", []attr{
		{key: "label", val: v.title()}, {key: "labelloc", val: "t"}, {key: "fontname", val: "Helvetica"},
		{key: "fontsize", val: "16"}, {key: "rankdir", val: "TB"},
		{key: "nodesep", val: nodesep}, {key: "ranksep", val: ranksep}, {key: "pad", val: "0.2"},
		{key: "bgcolor", val: "white"},
	})
}

// writeDefaults writes the node and edge defaults.
func (v *view) writeDefaults(b *dotBuf) {
	b.stmt("node", []attr{
		{key: "fontname", val: "Helvetica"}, {key: "fontsize", val: "11"}, {key: "style", val: "filled"},
		{key: "fillcolor", val: colNodeFill}, {key: "color", val: colInk}, {key: "fontcolor", val: colInk},
		{key: "margin", val: "0.12,0.06"},
	})
	b.stmt("edge", []attr{
		{key: "fontname", val: "Helvetica"}, {key: "fontsize", val: "10"}, {key: "color", val: colInk},
		{key: "fontcolor", val: colInk}, {key: "arrowsize", val: "0.7"}, {key: "decorate", val: "true"},
	})
}

// placements sorts components into zone clusters, region clusters and the
// top level (see DOT).
type placements struct {
	byZone   map[*lang.Zone][]*lang.Component
	byRegion map[*lang.Region][]*lang.Component
	top      []*lang.Component
}

func (v *view) placements() placements {
	p := placements{byZone: map[*lang.Zone][]*lang.Component{}, byRegion: map[*lang.Region][]*lang.Component{}}
	for _, c := range v.comps() {
		zone, region := v.home(c)
		switch {
		case zone != nil:
			p.byZone[zone] = append(p.byZone[zone], c)
		case region != nil:
			p.byRegion[region] = append(p.byRegion[region], c)
		default:
			p.top = append(p.top, c)
		}
	}
	return p
}

// home returns the one zone a component lives in, or else the one region, or
// neither.
func (v *view) home(c *lang.Component) (*lang.Zone, *lang.Region) {
	if len(c.Zones) == 0 {
		return nil, nil
	}
	var zone *lang.Zone
	var region *lang.Region
	sameZone := true
	for i, name := range c.Zones {
		z := v.d.Zone(name)
		if z == nil || z.Region == nil {
			return nil, nil
		}
		if i == 0 {
			zone, region = z, z.Region
			continue
		}
		if z != zone {
			sameZone = false
		}
		if z.Region != region {
			return nil, nil
		}
	}
	if sameZone {
		return zone, region
	}
	return nil, region
}

// onFlow reports whether a flow is highlighted and the component is off it.
func (v *view) dimmed(c *lang.Component) bool { return v.flow != nil && !v.flowNodes[c] }

// labelLines are the lines of a node's label: its name in bold, then its
// kind, instances, zones, figures and findings in small type, each wrapped
// at the kind's width.
func (v *view) labelLines(c *lang.Component) []labelLine {
	lines := []labelLine{{text: c.Name, size: 11, bold: true}}
	width := labelWidth(c.Kind)
	small := func(text, color string) {
		for _, l := range wrapText(text, width) {
			lines = append(lines, labelLine{text: l, size: 9, color: color})
		}
	}
	small(kindText(c), "")
	small(instancesText(c), "")
	small(v.placeText(c), "")
	small(v.figureText(c), "")
	if m := v.marks[c.Addr]; m != nil && len(m.rules) > 0 {
		col := colSPOF
		if v.dimmed(c) {
			col = ""
		}
		small("findings: "+strings.Join(m.rules, ", "), col)
	}
	return lines
}

// placeText lists where a component runs: its zones, and its regions when
// they are several ("zones a, b (r1) · c (r2)").
func (v *view) placeText(c *lang.Component) string {
	if len(c.Zones) == 0 {
		return ""
	}
	_, region := v.home(c)
	if region != nil || len(v.d.Regions) == 0 {
		return zonesText(c)
	}
	var parts []string
	seen := map[string]int{}
	var names [][]string
	for _, z := range c.Zones {
		rn := ""
		if zz := v.d.Zone(z); zz != nil && zz.Region != nil {
			rn = zz.Region.Name
		}
		i, ok := seen[rn]
		if !ok {
			i = len(names)
			seen[rn] = i
			names = append(names, []string{rn})
		}
		names[i] = append(names[i], z)
	}
	for _, n := range names {
		p := strings.Join(n[1:], ", ")
		if n[0] != "" {
			p += " (" + n[0] + ")"
		}
		parts = append(parts, p)
	}
	return "zones " + strings.Join(parts, " · ")
}

func (v *view) nodeLabel(c *lang.Component) string { return htmlLabel(v.labelLines(c)) }

// htmlLabel writes a node's lines as a Graphviz HTML-like label: the bold
// line as is, the others at 9 points in their colour.
func htmlLabel(lines []labelLine) string {
	var s strings.Builder
	for i, l := range lines {
		if i > 0 {
			s.WriteString("<BR/>")
		}
		if l.bold {
			s.WriteString("<B>" + htmlText(l.text) + "</B>")
			continue
		}
		s.WriteString(`<FONT POINT-SIZE="9"`)
		if l.color != "" {
			s.WriteString(` COLOR="` + l.color + `"`)
		}
		s.WriteString(">" + htmlText(l.text) + "</FONT>")
	}
	return s.String()
}

// loadFill is the fill that says how loaded a tier is, "" when nothing is
// to be said: red over capacity (capacity's error, or the scenario's), yellow
// above target (capacity's warning), orange over capacity after a failure.
func (v *view) loadFill(c *lang.Component) string {
	m := v.marks[c.Addr]
	switch {
	case m == nil:
		return ""
	case m.over || m.overCapacity:
		return colOverCapacity
	case m.aboveTarget:
		return colAboveTarget
	case m.afterFailure:
		return colAfterFailure
	}
	return ""
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func (v *view) writeNode(b *dotBuf, c *lang.Component) {
	ks := kindShapes[c.Kind]
	style := "filled"
	if ks.style != "" {
		style += "," + ks.style
	}
	fill, color, font, pen := fillOf(c), colInk, colInk, "1"
	m := v.marks[c.Addr]
	load := v.loadFill(c)
	if load != "" {
		fill = load
	}
	if v.flow != nil && v.flowNodes[c] {
		color, pen = colFlow, "2.5"
	}
	if m != nil && m.spof {
		color, pen = colSPOF, "3"
	}
	if v.dimmed(c) {
		color, font = colDim, colDimText
		if load == "" {
			fill = colNodeFill
		}
	}
	if m != nil && m.down {
		fill, color, font, pen = colNodeFill, colDim, colDimText, "1"
		style += ",dashed"
	}
	attrs := []attr{
		{key: "id", val: c.Addr},
		{key: "shape", val: ks.shape},
		{key: "style", val: style},
		{key: "fillcolor", val: fill},
		{key: "color", val: color},
		{key: "fontcolor", val: font},
		{key: "penwidth", val: pen},
		{key: "label", val: v.nodeLabel(c), html: true},
		{key: "tooltip", val: v.nodeTooltip(c)},
	}
	if w, h, ok := fixedShape(c.Kind, v.labelLines(c)); ok {
		attrs = append(attrs, attr{key: "fixedsize", val: "true"},
			attr{key: "width", val: strconv.FormatFloat(w, 'f', 2, 64)},
			attr{key: "height", val: strconv.FormatFloat(h, 'f', 2, 64)})
	}
	b.stmt(dotQuote(c.Addr), attrs)
}

// maxDrawnDescription bounds, in characters, how much of a component's
// description its tooltip shows: the diagram is for the architecture, and
// Graphviz's work on one long string grows faster than the string (a 2 MB
// description took seconds to lay out).
const maxDrawnDescription = 1000

// drawnDescription is the part of a description a diagram shows: at most
// maxDrawnDescription characters, cut at a character and marked with "…".
func drawnDescription(s string) string {
	if len(s) <= maxDrawnDescription {
		return s
	}
	n := 0
	for i := range s {
		if n == maxDrawnDescription {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

func (v *view) nodeTooltip(c *lang.Component) string {
	lines := []string{c.Addr}
	if c.Description != "" {
		lines = append(lines, drawnDescription(c.Description))
	}
	if m := v.marks[c.Addr]; m != nil {
		lines = append(lines, m.messages...)
	}
	return strings.Join(lines, "\n")
}

func (v *view) writeEdges(b *dotBuf, c *lang.Component) {
	for _, call := range c.Calls {
		if call.To == nil || !v.isShown(call.To) {
			continue
		}
		v.writeCall(b, call)
		if call.Fallback != nil && v.isShown(call.Fallback) {
			b.stmt(dotQuote(c.Addr)+" -> "+dotQuote(call.Fallback.Addr), []attr{
				{key: "id", val: fmt.Sprintf("fallback.%s.%d", c.Addr, call.Index)},
				{key: "style", val: "dotted"}, {key: "color", val: v.edgeColor(colSoft, false)},
				{key: "fontcolor", val: colSoft}, {key: edgeLabel, val: "fallback"}, {key: "arrowhead", val: "onormal"},
				{key: "tooltip", val: c.Addr + " falls back to " + call.Fallback.Addr + " when " + call.To.Addr + " fails"},
			})
		}
	}
	if c.Origin != nil && v.isShown(c.Origin) {
		em := v.originMk[c]
		label := v.originLabel(c)
		color, pen := v.edgeColor(colInk, v.flowOrig[c]), "1"
		if v.flowOrig[c] {
			pen = "2.5"
		}
		tip := c.Addr + " reads misses from its origin " + c.Origin.Addr
		if em != nil && em.conflict {
			color, pen = colConflict, "2"
			label += "\n" + "conflict: " + strings.Join(em.rules, ", ")
			tip += "\n" + strings.Join(em.messages, "\n")
		}
		b.stmt(dotQuote(c.Addr)+" -> "+dotQuote(c.Origin.Addr), []attr{
			{key: "id", val: "origin." + c.Addr},
			{key: "style", val: "dashed"}, {key: "arrowhead", val: "onormal"},
			{key: "color", val: color}, {key: "fontcolor", val: color}, {key: "penwidth", val: pen},
			{key: edgeLabel, val: label}, {key: "tooltip", val: tip},
		})
	}
	for i, cs := range c.Consumes {
		if cs.Queue == nil || !v.isShown(cs.Queue) {
			continue
		}
		label := v.consumeLabel(cs)
		color := v.edgeColor(colInk, false)
		head, dir := edgeStmt(cs.Queue, c)
		b.stmt(head, append(dir, []attr{
			{key: "id", val: fmt.Sprintf("consume.%s.%d", c.Addr, i)},
			{key: "style", val: "bold"}, {key: "color", val: color}, {key: "fontcolor", val: color},
			{key: edgeLabel, val: label},
			{key: "tooltip", val: fmt.Sprintf("%s consumes %s with %s per instance", c.Addr, cs.Queue.Addr, lang.Count(cs.Workers, "worker", "workers"))},
		}...))
	}
	if c.DeadLetter != nil && v.isShown(c.DeadLetter) {
		b.stmt(dotQuote(c.Addr)+" -> "+dotQuote(c.DeadLetter.Addr), []attr{
			{key: "id", val: "deadletter." + c.Addr},
			{key: "style", val: "dashed"}, {key: "color", val: v.edgeColor(colSoft, false)},
			{key: "fontcolor", val: colSoft}, {key: edgeLabel, val: "dead letters"},
		})
	}
}

// edgeColor is base, blue on the highlighted flow, pale off it.
func (v *view) edgeColor(base string, onFlow bool) string {
	switch {
	case v.flow == nil:
		return base
	case onFlow:
		return colFlow
	default:
		return colDim
	}
}

func (v *view) writeCall(b *dotBuf, call *lang.Call) {
	style, base := "solid", colInk
	if !call.Sync() {
		style = "dashed"
	} else if !call.Required {
		style = "dotted"
	}
	if !call.Required {
		base = colSoft
	}
	onFlow := v.flow != nil && v.flowCalls[call]
	color := v.edgeColor(base, onFlow)
	pen := "1"
	if onFlow {
		pen = "2.5"
	}
	var label []string
	if v.rates {
		label = append(label, fmtRate(v.callRate(call))+" rps")
	}
	tip := fmt.Sprintf("%s → %s: op %s, %s, %s", call.From.Addr, call.To.Addr, call.Op, syncWord(call), requiredWord(call))
	if em := v.edgeMarks[call]; em != nil && em.conflict {
		color, pen = colConflict, "2"
		label = append(label, "conflict: "+strings.Join(em.rules, ", "))
		tip += "\n" + strings.Join(em.messages, "\n")
	}
	font := color
	if color == colInk {
		font = colInk
	}
	head, dir := edgeStmt(call.From, call.To)
	b.stmt(head, append(dir, []attr{
		{key: "id", val: "call." + call.From.Addr + "." + strconv.Itoa(call.Index)},
		{key: "style", val: style}, {key: "color", val: color}, {key: "fontcolor", val: font},
		{key: "penwidth", val: pen}, {key: edgeLabel, val: strings.Join(label, "\n")}, {key: "tooltip", val: tip},
	}...))
}

func syncWord(c *lang.Call) string {
	if c.Sync() {
		return "sync"
	}
	return "async"
}

func requiredWord(c *lang.Call) string {
	if c.Required {
		return "required"
	}
	return "soft"
}

// legendEntry is one sample of the legend and what it means.
type legendEntry struct {
	kind   string // "shape", "edge" or "mark"
	sample string // the kind (shape); the edge style; the mark's fill or border
	color  string
	pen    int
	text   string
}

// legend lists what the diagram uses: the shape of each kind in it, each
// edge style, and the finding and flow marks.
func (v *view) legend() []legendEntry {
	var out []legendEntry
	used := map[lang.Kind]bool{}
	hasSync, hasAsync, hasSoft, hasOrigin, hasConsume := false, false, false, false, false
	var spof, above, over, after, down bool
	for _, c := range v.comps() {
		used[c.Kind] = true
		// Only the edges the view draws.
		for _, call := range c.Calls {
			if call.To == nil || !v.isShown(call.To) {
				continue
			}
			hasSync = hasSync || (call.Sync() && call.Required)
			hasAsync = hasAsync || !call.Sync()
			hasSoft = hasSoft || !call.Required
		}
		hasOrigin = hasOrigin || (c.Origin != nil && v.isShown(c.Origin))
		for _, cs := range c.Consumes {
			hasConsume = hasConsume || (cs.Queue != nil && v.isShown(cs.Queue))
		}
		if m := v.marks[c.Addr]; m != nil {
			spof = spof || m.spof
			switch v.loadFill(c) {
			case colAboveTarget:
				above = true
			case colOverCapacity:
				over = true
			case colAfterFailure:
				after = true
			}
			down = down || m.down
		}
	}
	for _, k := range lang.Kinds {
		if used[k] {
			out = append(out, legendEntry{kind: "shape", sample: string(k), text: strings.ReplaceAll(string(k), "_", " ")})
		}
	}
	if hasSync {
		out = append(out, legendEntry{kind: "edge", sample: "solid", color: colInk, pen: 1, text: "sync call"})
	}
	if hasAsync {
		out = append(out, legendEntry{kind: "edge", sample: "dashed", color: colInk, pen: 1, text: "async call"})
	}
	if hasSoft {
		out = append(out, legendEntry{kind: "edge", sample: "dotted", color: colSoft, pen: 1, text: "soft call (required = false)"})
	}
	if hasOrigin {
		out = append(out, legendEntry{kind: "edge", sample: "dashed", color: colInk, pen: 1, text: "cache misses to its origin"})
	}
	if hasConsume {
		out = append(out, legendEntry{kind: "edge", sample: "bold", color: colInk, pen: 1, text: "queue to its consumer"})
	}
	if v.analysis {
		out = append(out, legendEntry{kind: "edge", sample: "solid", color: colConflict, pen: 2, text: "consistency conflict"})
		if spof {
			out = append(out, legendEntry{kind: "mark", sample: "border", color: colSPOF, pen: 3, text: "single point of failure"})
		}
		if above {
			out = append(out, legendEntry{kind: "mark", sample: "fill", color: colAboveTarget, pen: 1, text: "above target (warning): utilization > max_utilization, < 1"})
		}
		if over {
			out = append(out, legendEntry{kind: "mark", sample: "fill", color: colOverCapacity, pen: 1, text: "over capacity (error): utilization ≥ 1"})
		}
		if after {
			out = append(out, legendEntry{kind: "mark", sample: "fill", color: colAfterFailure, pen: 1, text: "over capacity after a failure (error or warning)"})
		}
	}
	if down {
		out = append(out, legendEntry{kind: "mark", sample: "down", color: colDim, pen: 1, text: "down in this scenario"})
	}
	if v.flow != nil {
		out = append(out, legendEntry{kind: "edge", sample: "solid", color: colFlow, pen: 3, text: "path of flow " + v.flow.Name})
	}
	return out
}

// legendRow is how many samples a row of the legend holds.
const legendRow = 5

// writeLegend draws the legend as a frame of real samples: a node of each
// kind's shape, a box of each mark's fill or border, and a short edge of
// each edge style, each with what it means, below the design (it hangs from
// the last tier's anchor).
func (v *view) writeLegend(b *dotBuf, last string) {
	foot := ""
	switch {
	case v.rates:
		foot = `<BR/><FONT POINT-SIZE="9">edges: requests/s carried; nodes: load, busiest instance's utilization</FONT>`
	case v.analysis:
		foot = `<BR/><FONT POINT-SIZE="9">no traffic drawn: no client declares rps</FONT>`
	}
	v.writeLegendOf(b, last, v.legend(), foot)
}

// writeLegendOf draws the legend frame with the entries and a foot note
// (HTML) under its title.
func (v *view) writeLegendOf(b *dotBuf, last string, entries []legendEntry, foot string) {
	b.line("")
	b.line(`subgraph "cluster_legend" {`)
	b.depth++
	b.stmt("graph", []attr{{key: "label", val: ""}, {key: "id", val: v.fid("legend.frame")}, {key: "style", val: "rounded"},
		{key: "color", val: colCluster}, {key: "margin", val: "8"}})
	b.stmt(`"legend"`, []attr{
		{key: "id", val: v.fid("legend")}, {key: "shape", val: "plaintext"}, {key: "style", val: ""},
		{key: "fontsize", val: "11"}, {key: "margin", val: "0"},
		{key: "label", val: "<B>Legend</B>" + foot, html: true},
	})
	// Rows: the legend's title, then shapes, marks and edges, each wrapped
	// at legendRow samples; a row's first node hangs under the previous
	// row's first.
	var rows [][]string
	var row []string
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, row)
			row = nil
		}
	}
	for _, group := range []string{"shape", "mark", "edge"} {
		for i, e := range entries {
			if e.kind != group {
				continue
			}
			if len(row) == legendRow {
				flush()
			}
			id := fmt.Sprintf("legend.%d", i)
			switch e.kind {
			case "shape":
				k := lang.Kind(e.sample)
				ks := kindShapes[k]
				style := "filled"
				if ks.style != "" {
					style += "," + ks.style
				}
				b.stmt(dotQuote(id), []attr{{key: "id", val: v.fid(id)}, {key: "shape", val: ks.shape}, {key: "style", val: style},
					{key: "fillcolor", val: fillOf(&lang.Component{Kind: k})}, {key: "fontsize", val: "9"},
					{key: "label", val: e.text}, {key: "width", val: "0.9"}, {key: "height", val: "0.45"}})
				row = append(row, id)
			case "mark":
				a := []attr{{key: "id", val: v.fid(id)}, {key: "shape", val: "box"}, {key: "fontsize", val: "9"},
					{key: "label", val: strings.Join(wrapText(e.text, 26), "\n")}}
				switch e.sample {
				case "fill":
					a = append(a, attr{key: "style", val: "filled"}, attr{key: "fillcolor", val: e.color})
				case "border":
					a = append(a, attr{key: "style", val: "filled"}, attr{key: "color", val: e.color}, attr{key: "penwidth", val: "3"})
				case "down":
					a = append(a, attr{key: "style", val: "filled,dashed"}, attr{key: "color", val: e.color}, attr{key: "fontcolor", val: colDimText})
				}
				b.stmt(dotQuote(id), a)
				row = append(row, id)
			case "edge":
				from, to := id+".from", id+".to"
				pt := []attr{{key: "shape", val: "point"}, {key: "width", val: "0.04"}, {key: "color", val: e.color}, {key: "label", val: ""}}
				b.stmt(dotQuote(from), append([]attr{{key: "id", val: v.fid(from)}}, pt...))
				b.stmt(dotQuote(to), append([]attr{{key: "id", val: v.fid(to)}}, pt...))
				b.stmt(dotQuote(from)+" -> "+dotQuote(to), []attr{{key: "id", val: v.fid(id)}, {key: "style", val: e.sample},
					{key: "color", val: e.color}, {key: "penwidth", val: strconv.Itoa(e.pen)}, {key: "fontsize", val: "9"},
					{key: "label", val: strings.Join(wrapText(e.text, 30), "\n")}, {key: "minlen", val: "2"}, {key: "decorate", val: "false"}})
				row = append(row, from, to)
			}
		}
		flush()
	}
	prev := `"legend"`
	for _, r := range rows {
		quoted := make([]string, len(r))
		for i, id := range r {
			quoted[i] = dotQuote(id)
		}
		b.line("{ rank=same; " + strings.Join(quoted, "; ") + " }")
		b.stmt(prev+" -> "+quoted[0], []attr{{key: "style", val: "invis"}})
		prev = quoted[0]
	}
	b.depth--
	b.line("}")
	if last != "" {
		b.stmt(dotQuote(last)+` -> "legend"`, []attr{{key: "style", val: "invis"}, {key: "weight", val: "0"}})
	}
}
