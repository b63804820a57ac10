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
	if v.flow != nil {
		name += " — flow " + v.flow.Name
	}
	return name
}

func (v *view) writeDOT(b *dotBuf) {
	b.line("// Drawn by archform from " + strings.ReplaceAll(v.title(), "\n", " ") + ".")
	b.line("digraph " + dotQuote(v.title()) + " {")
	b.depth++
	b.stmt("graph", []attr{
		{key: "label", val: v.title()}, {key: "labelloc", val: "t"}, {key: "fontname", val: "Helvetica"},
		{key: "fontsize", val: "16"}, {key: "rankdir", val: "TB"},
		{key: "nodesep", val: "0.35"}, {key: "ranksep", val: "0.6"}, {key: "pad", val: "0.2"},
		{key: "bgcolor", val: "white"},
	})
	if len(v.d.Components) > largeDesign {
		// Graphviz's crossing minimisation, network simplex and spline
		// routing grow fast with size; past a few hundred components their
		// defaults take minutes for a picture read as an overview. Straight
		// edges and fewer iterations take seconds.
		b.stmt("graph", []attr{{key: "nslimit", val: "1"}, {key: "nslimit1", val: "1"},
			{key: "mclimit", val: "0.3"}, {key: "splines", val: "line"}})
	}
	b.stmt("node", []attr{
		{key: "fontname", val: "Helvetica"}, {key: "fontsize", val: "11"}, {key: "style", val: "filled"},
		{key: "fillcolor", val: colNodeFill}, {key: "color", val: colInk}, {key: "fontcolor", val: colInk},
		{key: "margin", val: "0.12,0.06"},
	})
	b.stmt("edge", []attr{
		{key: "fontname", val: "Helvetica"}, {key: "fontsize", val: "10"}, {key: "color", val: colInk},
		{key: "fontcolor", val: colInk}, {key: "arrowsize", val: "0.7"},
	})

	pl := v.placements()
	// Regions and their zones, in declaration order.
	for ri, r := range v.d.Regions {
		members := pl.byRegion[r]
		zoneMembers := 0
		for _, z := range r.Zones {
			zoneMembers += len(pl.byZone[z])
		}
		if len(members) == 0 && zoneMembers == 0 {
			continue
		}
		b.line("")
		b.line("subgraph " + dotQuote("cluster_region_"+r.Name) + " {")
		b.depth++
		b.stmt("graph", []attr{
			{key: "label", val: "region " + r.Name}, {key: "id", val: "region." + r.Name},
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
				{key: "label", val: "zone " + z.Name}, {key: "id", val: "zone." + z.Name},
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
		b.depth--
		b.line("}")
		_ = ri
	}
	if len(pl.top) > 0 {
		b.line("")
	}
	for _, c := range pl.top {
		v.writeNode(b, c)
	}

	b.line("")
	for _, c := range v.d.Components {
		v.writeEdges(b, c)
	}
	v.writeLegend(b)
	b.depth--
	b.line("}")
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
	for _, c := range v.d.Components {
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

func (v *view) nodeLabel(c *lang.Component) string {
	var s strings.Builder
	s.WriteString("<B>" + htmlText(c.Name) + "</B>")
	small := func(text, color string) {
		if text == "" {
			return
		}
		s.WriteString(`<BR/><FONT POINT-SIZE="9"`)
		if color != "" {
			s.WriteString(` COLOR="` + color + `"`)
		}
		s.WriteString(">" + htmlText(text) + "</FONT>")
	}
	small(kindText(c), "")
	small(joinNonEmpty(" · ", instancesText(c), zonesText(c)), "")
	small(v.figureText(c), "")
	if m := v.marks[c.Addr]; m != nil && len(m.rules) > 0 {
		col := colSPOF
		if v.dimmed(c) {
			col = ""
		}
		small("findings: "+strings.Join(m.rules, ", "), col)
	}
	return s.String()
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
	if m != nil && m.overloaded {
		fill = colOverloaded
	}
	if v.flow != nil && v.flowNodes[c] {
		color, pen = colFlow, "2.5"
	}
	if m != nil && m.spof {
		color, pen = colSPOF, "3"
	}
	if v.dimmed(c) {
		color, font = colDim, colDimText
		if m == nil || !m.overloaded {
			fill = colNodeFill
		}
	}
	if m != nil && m.over {
		fill = colScenarioOver
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
	b.stmt(dotQuote(c.Addr), attrs)
}

func (v *view) nodeTooltip(c *lang.Component) string {
	lines := []string{c.Addr}
	if c.Description != "" {
		lines = append(lines, c.Description)
	}
	if m := v.marks[c.Addr]; m != nil {
		lines = append(lines, m.messages...)
	}
	return strings.Join(lines, "\n")
}

func (v *view) writeEdges(b *dotBuf, c *lang.Component) {
	for _, call := range c.Calls {
		if call.To == nil {
			continue
		}
		v.writeCall(b, call)
		if call.Fallback != nil {
			b.stmt(dotQuote(c.Addr)+" -> "+dotQuote(call.Fallback.Addr), []attr{
				{key: "id", val: fmt.Sprintf("fallback.%s.%d", c.Addr, call.Index)},
				{key: "style", val: "dotted"}, {key: "color", val: v.edgeColor(colSoft, false)},
				{key: "fontcolor", val: colSoft}, {key: "label", val: "fallback"}, {key: "arrowhead", val: "onormal"},
				{key: "tooltip", val: c.Addr + " falls back to " + call.Fallback.Addr + " when " + call.To.Addr + " fails"},
			})
		}
	}
	if c.Origin != nil {
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
			{key: "label", val: label}, {key: "tooltip", val: tip},
		})
	}
	for i, cs := range c.Consumes {
		if cs.Queue == nil {
			continue
		}
		label := v.consumeLabel(cs)
		color := v.edgeColor(colInk, false)
		b.stmt(dotQuote(cs.Queue.Addr)+" -> "+dotQuote(c.Addr), []attr{
			{key: "id", val: fmt.Sprintf("consume.%s.%d", c.Addr, i)},
			{key: "style", val: "bold"}, {key: "color", val: color}, {key: "fontcolor", val: color},
			{key: "label", val: label},
			{key: "tooltip", val: fmt.Sprintf("%s consumes %s with %d workers per instance", c.Addr, cs.Queue.Addr, cs.Workers)},
		})
	}
	if c.DeadLetter != nil {
		b.stmt(dotQuote(c.Addr)+" -> "+dotQuote(c.DeadLetter.Addr), []attr{
			{key: "id", val: "deadletter." + c.Addr},
			{key: "style", val: "dashed"}, {key: "color", val: v.edgeColor(colSoft, false)},
			{key: "fontcolor", val: colSoft}, {key: "label", val: "dead letters"},
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
	if v.analysis {
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
	b.stmt(dotQuote(call.From.Addr)+" -> "+dotQuote(call.To.Addr), []attr{
		{key: "id", val: "call." + call.From.Addr + "." + strconv.Itoa(call.Index)},
		{key: "style", val: style}, {key: "color", val: color}, {key: "fontcolor", val: font},
		{key: "penwidth", val: pen}, {key: "label", val: strings.Join(label, "\n")}, {key: "tooltip", val: tip},
	})
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

// legendEntry is one line of the legend: a sample and what it means.
type legendEntry struct {
	kind   string // "shape", "edge" or "mark"
	sample string // shape name; or edge style; or mark id
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
	for _, c := range v.d.Components {
		used[c.Kind] = true
		for _, call := range c.Calls {
			hasSync = hasSync || (call.Sync() && call.Required)
			hasAsync = hasAsync || !call.Sync()
			hasSoft = hasSoft || !call.Required
		}
		hasOrigin = hasOrigin || c.Origin != nil
		hasConsume = hasConsume || len(c.Consumes) > 0
	}
	for _, k := range lang.Kinds {
		if used[k] {
			out = append(out, legendEntry{kind: "shape", sample: shapeNames[k], text: strings.ReplaceAll(string(k), "_", " ")})
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
		out = append(out, legendEntry{kind: "edge", sample: "solid", color: colInk, pen: 3, text: "queue to its consumer"})
	}
	if v.analysis {
		out = append(out,
			legendEntry{kind: "edge", sample: "solid", color: colConflict, pen: 2, text: "consistency conflict"},
			legendEntry{kind: "mark", sample: "spof", color: colSPOF, pen: 3, text: "single point of failure"},
			legendEntry{kind: "mark", sample: "overloaded", color: colOverloaded, pen: 1, text: "over capacity"},
		)
	}
	if v.flow != nil {
		out = append(out, legendEntry{kind: "edge", sample: "solid", color: colFlow, pen: 3, text: "path of flow " + v.flow.Name})
	}
	return out
}

// writeLegend draws the legend as one table node, so that it takes no part
// in the layout of the design: a line sample per edge style, a box per mark,
// the shape of each kind in words, and the labels' figures.
func (v *view) writeLegend(b *dotBuf) {
	var t strings.Builder
	t.WriteString(`<TABLE BORDER="1" COLOR="` + colCluster + `" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2" STYLE="rounded">`)
	t.WriteString(`<TR><TD COLSPAN="2"><B>Legend</B></TD></TR>`)
	for _, e := range v.legend() {
		var sample string
		switch e.kind {
		case "shape":
			sample = `<TD ALIGN="RIGHT"><FONT COLOR="` + colCluster + `">` + htmlText(e.sample) + `</FONT></TD>`
		case "edge":
			style := ""
			if e.sample != "solid" {
				style = ` STYLE="` + e.sample + `"`
			}
			sample = fmt.Sprintf(`<TD SIDES="B" BORDER="%d" COLOR="%s"%s WIDTH="44"> </TD>`, e.pen, e.color, style)
		case "mark":
			if e.sample == "overloaded" {
				sample = `<TD BORDER="1" COLOR="` + colInk + `" BGCOLOR="` + e.color + `" WIDTH="44"> </TD>`
			} else {
				sample = fmt.Sprintf(`<TD BORDER="%d" COLOR="%s" WIDTH="44"> </TD>`, e.pen, e.color)
			}
		}
		t.WriteString("<TR>" + sample + `<TD ALIGN="LEFT">` + htmlText(e.text) + "</TD></TR>")
	}
	if v.analysis {
		t.WriteString(`<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="8">edges: requests/s carried; nodes: load, busiest instance's utilization</FONT></TD></TR>`)
	}
	t.WriteString("</TABLE>")
	b.line("")
	b.stmt(`"legend"`, []attr{
		{key: "id", val: "legend"}, {key: "shape", val: "plaintext"}, {key: "style", val: ""},
		{key: "fontsize", val: "9"}, {key: "margin", val: "0"},
		{key: "label", val: t.String(), html: true},
	})
	b.line(`{ rank=sink; "legend" }`)
}
