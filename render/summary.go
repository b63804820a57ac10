package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/archform/archform/lang"
)

// The summary view of a large design: one node per region and kind (all
// the services placed in us-east are one node, "services ×430"), laid out
// by tier, with the calls between them added up (how many, and the
// requests per second they carry) and the findings counted. Each node
// links to its detailed view: the components of its tier in its region
// (Options.Zone with Options.Tier).

// SummaryThreshold is the size (in components) past which a design is
// drawn as a summary where no view is asked for: by the report, and by
// `archform render` unless --view full is given. Past about 150
// components a whole-design picture is a few thousand points wide with
// text too small to read in a page, and its layout takes Graphviz seconds
// to minutes.
const SummaryThreshold = 150

// Large reports whether a design is past SummaryThreshold.
func Large(d *lang.Design) bool { return d != nil && len(d.Components) > SummaryThreshold }

// TierNames names the tiers, top to bottom, as Options.Tier takes them.
var TierNames = []string{"entry", "edge", "services", "data"}

func (t tier) String() string { return TierNames[t] }

// parseTier reads a tier's name.
func parseTier(s string) (tier, error) {
	for i, n := range TierNames {
		if n == s {
			return tier(i), nil
		}
	}
	return 0, &ViewError{Detail: fmt.Sprintf("--tier %s: no such tier (want %s)", s, strings.Join(TierNames, ", "))}
}

// summaryGroup is the components of one kind placed in one region (region
// nil: spanning regions, or placed in none).
type summaryGroup struct {
	region  *lang.Region
	kind    lang.Kind
	members []*lang.Component
}

func (g *summaryGroup) id() string {
	if g.region == nil {
		return "summary." + string(g.kind)
	}
	return "summary." + g.region.Name + "." + string(g.kind)
}

func (g *summaryGroup) tier() tier { return tierOf(g.kind) }

// regionName is the group's region as DetailLink takes it: "" outside.
func (g *summaryGroup) regionName() string {
	if g.region == nil {
		return ""
	}
	return g.region.Name
}

// DetailID is the HTML id of the report's drawing of the components of a
// tier in a region ("detail.us-east.services"; region "" for those in no
// single region: "detail.services"), or of a region's first drawing (tier
// "": "detail.us-east").
func DetailID(region, tier string) string {
	return "detail." + joinNonEmpty(".", region, tier)
}

// summaryGroups returns the groups, regions in declaration order then those
// outside, kinds in lang.Kinds order, and each component's group.
func (v *view) summaryGroups() ([]*summaryGroup, map[*lang.Component]*summaryGroup) {
	byKey := map[string]*summaryGroup{}
	of := map[*lang.Component]*summaryGroup{}
	for _, c := range v.comps() {
		_, r := v.home(c)
		g := &summaryGroup{region: r, kind: c.Kind}
		if old := byKey[g.id()]; old != nil {
			g = old
		} else {
			byKey[g.id()] = g
		}
		g.members = append(g.members, c)
		of[c] = g
	}
	var out []*summaryGroup
	regions := append(append([]*lang.Region(nil), v.d.Regions...), nil)
	for _, r := range regions {
		for _, k := range lang.Kinds {
			g := &summaryGroup{region: r, kind: k}
			if g = byKey[g.id()]; g != nil {
				out = append(out, g)
			}
		}
	}
	return out, of
}

// kindPlural names n components of a kind: "1 service", "430 services".
func kindPlural(k lang.Kind, n int) string {
	word := strings.ReplaceAll(string(k), "_", " ")
	if n == 1 {
		return word
	}
	switch k {
	case lang.KindSearch, lang.KindStorage:
		return word
	case lang.KindExternal:
		return "external systems"
	case lang.KindCache:
		return "caches"
	}
	return word + "s"
}

// summaryLines are a group's label: "services ×430", where it runs, the
// load and the busiest member's utilization, the findings counted by rule,
// and the flags that draw its detail.
func (v *view) summaryLines(g *summaryGroup) []labelLine {
	lines := []labelLine{{text: kindPlural(g.kind, len(g.members)) + " ×" + strconv.Itoa(len(g.members)), size: 11, bold: true}}
	small := func(text, color string) {
		for _, l := range wrapText(text, 28) {
			lines = append(lines, labelLine{text: l, size: 9, color: color})
		}
	}
	if g.region != nil {
		small("in "+g.region.Name, "")
	} else if len(v.d.Regions) > 0 {
		small("in no single region", "")
	}
	if v.rates {
		total, busiest := 0.0, 0.0
		var who string
		for _, c := range g.members {
			if l := v.load(c); l != nil {
				total += l.Total()
				if l.Utilization > busiest {
					busiest, who = l.Utilization, c.Name
				}
			} else if c.Kind == lang.KindClient {
				total += c.RPS
			}
		}
		s := fmtRate(total) + " rps"
		if busiest > 0 {
			s += " · busiest " + fmtPercent(busiest) + " (" + who + ")"
		}
		small(s, "")
	}
	withFindings, spofs := 0, 0
	for _, c := range g.members {
		if m := v.marks[c.Addr]; m != nil && len(m.rules) > 0 {
			withFindings++
			if m.spof {
				spofs++
			}
		}
	}
	if withFindings > 0 {
		s := fmt.Sprintf("findings on %d of %d", withFindings, len(g.members))
		if spofs > 0 {
			s += fmt.Sprintf(" · %d %s", spofs, map[bool]string{true: "single point of failure", false: "single points of failure"}[spofs == 1])
		}
		small(s, colSPOF)
	}
	return lines
}

// summaryFill is the worst load fill of a group's members; spof whether
// one of them is a single point of failure.
func (v *view) summaryFill(g *summaryGroup) (fill string, spof bool) {
	worst := -1
	order := []string{colAfterFailure, colAboveTarget, colOverCapacity}
	for _, c := range g.members {
		if m := v.marks[c.Addr]; m != nil && m.spof {
			spof = true
		}
		f := v.loadFill(c)
		for i, o := range order {
			if f == o && i > worst {
				worst = i
			}
		}
	}
	fill = fillOf(&lang.Component{Kind: g.kind})
	if worst >= 0 {
		fill = order[worst]
	}
	return fill, spof
}

// summaryEdge is the relations from one group to another, added up.
type summaryEdge struct {
	from, to *summaryGroup
	n        int
	rate     float64
	sync     bool // some relation is a sync call
	conflict bool
}

// summaryEdges adds up the calls, cache misses and queue consumption
// between groups, in the order they are first met.
func (v *view) summaryEdges(of map[*lang.Component]*summaryGroup) []*summaryEdge {
	type pair struct{ a, b *summaryGroup }
	byPair := map[pair]*summaryEdge{}
	var out []*summaryEdge
	add := func(a, b *lang.Component, rate float64, sync, conflict bool) {
		ga, gb := of[a], of[b]
		if ga == nil || gb == nil {
			return
		}
		e := byPair[pair{ga, gb}]
		if e == nil {
			e = &summaryEdge{from: ga, to: gb}
			byPair[pair{ga, gb}] = e
			out = append(out, e)
		}
		e.n++
		e.rate += rate
		e.sync = e.sync || sync
		e.conflict = e.conflict || conflict
	}
	for _, c := range v.comps() {
		for _, call := range c.Calls {
			if call.To == nil {
				continue
			}
			em := v.edgeMarks[call]
			add(c, call.To, v.callRate(call), call.Sync(), em != nil && em.conflict)
		}
		if c.Origin != nil {
			em := v.originMk[c]
			add(c, c.Origin, v.originRate(c), true, em != nil && em.conflict)
		}
		for _, cs := range c.Consumes {
			if cs.Queue != nil {
				add(cs.Queue, c, v.consumeRate(cs), false, false)
			}
		}
	}
	return out
}

// writeSummaryDOT writes the summary view (see above).
func (v *view) writeSummaryDOT(b *dotBuf) {
	groups, of := v.summaryGroups()
	v.writeHeader(b, "0.5", "0.7")
	b.stmt("graph", []attr{{key: "newrank", val: "true"}})
	v.writeDefaults(b)
	node := func(g *summaryGroup) {
		ks := kindShapes[g.kind]
		style := "filled"
		if ks.style != "" {
			style += "," + ks.style
		}
		fill, spof := v.summaryFill(g)
		color, pen := colInk, "1"
		if spof {
			color, pen = colSPOF, "3"
		}
		lines := v.summaryLines(g)
		attrs := []attr{
			{key: "id", val: g.id()}, {key: "shape", val: ks.shape}, {key: "style", val: style},
			{key: "fillcolor", val: fill}, {key: "color", val: color}, {key: "penwidth", val: pen},
			{key: "label", val: htmlLabel(lines), html: true}, {key: "tooltip", val: v.summaryTooltip(g)},
		}
		if v.detailLink != nil {
			attrs = append(attrs, attr{key: "href", val: v.detailLink(g.regionName(), g.tier().String())})
		}
		if w, h, ok := fixedShape(g.kind, lines); ok {
			attrs = append(attrs, attr{key: "fixedsize", val: "true"},
				attr{key: "width", val: strconv.FormatFloat(w, 'f', 2, 64)},
				attr{key: "height", val: strconv.FormatFloat(h, 'f', 2, 64)})
		}
		b.stmt(dotQuote(g.id()), attrs)
	}
	for _, r := range v.d.Regions {
		var in []*summaryGroup
		for _, g := range groups {
			if g.region == r {
				in = append(in, g)
			}
		}
		if len(in) == 0 {
			continue
		}
		b.line("")
		b.line("subgraph " + dotQuote("cluster_region_"+r.Name) + " {")
		b.depth++
		a := []attr{
			{key: "label", val: "region " + r.Name}, {key: "id", val: "region." + r.Name},
			{key: "style", val: "rounded,dashed"}, {key: "color", val: colCluster},
			{key: "fontcolor", val: colCluster}, {key: "fontsize", val: "12"},
		}
		if v.detailLink != nil {
			a = append(a, attr{key: "href", val: v.detailLink(r.Name, "")}, attr{key: "tooltip", val: "region " + r.Name})
		}
		b.stmt("graph", a)
		for _, g := range in {
			node(g)
		}
		b.depth--
		b.line("}")
	}
	b.line("")
	for _, g := range groups {
		if g.region == nil {
			node(g)
		}
	}
	b.line("")
	for _, e := range v.summaryEdges(of) {
		label := plural(e.n, "call")
		if e.from.kind == lang.KindQueue && e.to.kind != lang.KindQueue && !e.sync {
			label = plural(e.n, "consumer")
		}
		if v.rates {
			label += "\n" + fmtRate(e.rate) + " rps"
		}
		style, color, pen := "solid", colInk, "1"
		if !e.sync {
			style = "dashed"
		}
		if e.conflict && v.analysis {
			color, pen = colConflict, "2"
		}
		a := []attr{{key: "id", val: "summary.edge." + e.from.id() + "." + e.to.id()},
			{key: "style", val: style}, {key: "color", val: color}, {key: "fontcolor", val: color},
			{key: "penwidth", val: pen}, {key: edgeLabel, val: label}}
		head := dotQuote(e.from.id()) + " -> " + dotQuote(e.to.id())
		if e.from.tier() > e.to.tier() { // up the tiers: see edgeStmt
			head = dotQuote(e.to.id()) + " -> " + dotQuote(e.from.id())
			a = append(a, attr{key: "dir", val: "back"})
		}
		b.stmt(head, a)
	}
	// One rank per tier, held in order by invisible edges.
	b.line("")
	var last string
	for t := tierEntry; t < numTiers; t++ {
		var ids []string
		for _, g := range groups {
			if g.tier() == t {
				ids = append(ids, dotQuote(g.id()))
			}
		}
		if len(ids) == 0 {
			continue
		}
		b.line("{ rank=same; " + strings.Join(ids, "; ") + " }")
		if last != "" {
			b.stmt(last+" -> "+ids[0], []attr{{key: "style", val: "invis"}, {key: "weight", val: "0"}})
		}
		last = ids[0]
	}
	foot := `<BR/><FONT POINT-SIZE="9">each node: the components of one kind in one region; edges: how many calls`
	if v.rates {
		foot += `<BR/>and the requests/s they carry; fill and border: the worst of its components`
	}
	foot += `</FONT>`
	var entries []legendEntry
	for _, e := range v.legend() {
		if e.kind != "edge" || e.color == colConflict {
			entries = append(entries, e)
		}
	}
	entries = append(entries, legendEntry{kind: "edge", sample: "solid", color: colInk, pen: 1, text: "calls, some sync"},
		legendEntry{kind: "edge", sample: "dashed", color: colInk, pen: 1, text: "async only"})
	v.writeLegendOf(b, strings.Trim(last, `"`), entries, foot)
	b.depth--
	b.line("}")
}

// summaryTooltip lists a group's members (the first twenty) and how to
// draw them.
func (v *view) summaryTooltip(g *summaryGroup) string {
	var names []string
	for i, c := range g.members {
		if i == 20 {
			names = append(names, fmt.Sprintf("… and %d more", len(g.members)-20))
			break
		}
		names = append(names, c.Name)
	}
	detail := "archform render --tier " + g.tier().String()
	if g.region != nil {
		detail = "archform render --zone " + g.region.Name + " --tier " + g.tier().String()
	}
	return strings.Join(names, ", ") + "\nin detail: " + detail
}
