package render

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/archform/archform/lang"
)

// Mermaid writes the design as a Mermaid flowchart that GitHub renders in
// Markdown (```mermaid blocks). It draws what DOT draws: the same shapes
// (as near as Mermaid's shapes come), clusters, figures and finding marks.
//
// Mermaid IDs may not hold dots, so "service.api" becomes service_api (with
// a numeric suffix should two addresses collide); every label is quoted, and
// styles are classDef classes and linkStyle lines by edge index.
func Mermaid(w io.Writer, in Input, opts Options) error {
	if opts.Summary {
		return &ViewError{Detail: "the summary view is drawn as DOT, SVG or PNG, not as Mermaid"}
	}
	v, err := newView(in, opts)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	v.writeMermaid(&b)
	_, err = w.Write(b.Bytes())
	return err
}

// mermaidIDs maps component addresses, "region NAME" and "zone NAME" to
// Mermaid node and subgraph IDs, distinct from each other: mermaidIdent
// writes a-1 and a.1 alike, so a later one gets a number.
func mermaidIDs(d *lang.Design) map[string]string {
	ids := map[string]string{}
	used := map[string]bool{}
	add := func(key, base string) {
		id := base
		for n := 2; used[id]; n++ {
			id = base + "_" + strconv.Itoa(n)
		}
		used[id] = true
		ids[key] = id
	}
	for _, c := range d.Components {
		add(c.Addr, mermaidIdent(c.Addr))
	}
	for _, r := range d.Regions {
		add("region "+r.Name, "region_"+mermaidIdent(r.Name))
		for _, z := range r.Zones {
			add("zone "+z.Name, "zone_"+mermaidIdent(z.Name))
		}
	}
	return ids
}

// mermaidIdent keeps letters, digits and underscores. Component addresses
// start with their kind, so no ID is a Mermaid keyword (end, graph, ...) or
// starts with the o/x that Mermaid reads as an edge end.
func mermaidIdent(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// mermaidText escapes text for a quoted Mermaid label, with Mermaid's entity
// codes (#quot; and friends).
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '\n':
			b.WriteString("<br/>")
		default:
			if r < 0x20 || r == 0x7f || unicode.Is(unicode.Cf, r) {
				fmt.Fprintf(&b, "#%d;", r) // no control character reaches the chart's source
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (v *view) mermaidLabel(c *lang.Component) string {
	parts := []string{"<b>" + mermaidText(c.Name) + "</b>", mermaidText(kindText(c))}
	if s := joinNonEmpty(" · ", instancesText(c), zonesText(c)); s != "" {
		parts = append(parts, mermaidText(s))
	}
	if s := v.figureText(c); s != "" {
		parts = append(parts, mermaidText(s))
	}
	if m := v.marks[c.Addr]; m != nil && len(m.rules) > 0 {
		parts = append(parts, mermaidText("findings: "+strings.Join(m.rules, ", ")))
	}
	return strings.Join(parts, "<br/>")
}

// scenarioMarks reports whether a scenario marks any tier.
func (v *view) scenarioMarks() bool {
	for _, m := range v.marks {
		if m.down || m.over {
			return true
		}
	}
	return false
}

func (v *view) writeMermaid(b *bytes.Buffer) {
	ids := mermaidIDs(v.d)
	fmt.Fprintf(b, "%%%% Drawn by archform from %s.\n", strings.ReplaceAll(v.title(), "\n", " "))
	b.WriteString("flowchart TB\n")
	node := func(indent string, c *lang.Component) {
		ks := kindShapes[c.Kind]
		fmt.Fprintf(b, "%s%s%s\"%s\"%s\n", indent, ids[c.Addr], ks.mOpen, v.mermaidLabel(c), ks.mClose)
	}
	pl := v.placements()
	for _, r := range v.d.Regions {
		zoneMembers := 0
		for _, z := range r.Zones {
			zoneMembers += len(pl.byZone[z])
		}
		if len(pl.byRegion[r]) == 0 && zoneMembers == 0 {
			continue
		}
		fmt.Fprintf(b, "  subgraph %s[\"region %s\"]\n", ids["region "+r.Name], mermaidText(r.Name))
		for _, z := range r.Zones {
			if len(pl.byZone[z]) == 0 {
				continue
			}
			fmt.Fprintf(b, "    subgraph %s[\"zone %s\"]\n", ids["zone "+z.Name], mermaidText(z.Name))
			for _, c := range pl.byZone[z] {
				node("      ", c)
			}
			b.WriteString("    end\n")
		}
		for _, c := range pl.byRegion[r] {
			node("    ", c)
		}
		b.WriteString("  end\n")
	}
	for _, c := range pl.top {
		node("  ", c)
	}

	// Edges, in the order DOT writes them; linkStyle refers to them by index.
	var links []string
	link := func(from, arrow, label, to, style string) {
		l := "  " + ids[from] + " " + arrow
		if label != "" {
			l += "|\"" + mermaidText(label) + "\"|"
		}
		l += " " + ids[to]
		b.WriteString(l + "\n")
		links = append(links, style)
	}
	for _, c := range v.comps() {
		for _, call := range c.Calls {
			if call.To == nil || !v.isShown(call.To) {
				continue
			}
			arrow := "-->"
			if !call.Sync() || !call.Required {
				arrow = "-.->"
			}
			var label []string
			if v.rates {
				label = append(label, fmtRate(v.callRate(call))+" rps")
			}
			style := ""
			if !call.Required {
				style = "stroke:" + colSoft
			}
			if v.flow != nil {
				if v.flowCalls[call] {
					style = "stroke:" + colFlow + ",stroke-width:3px"
				} else {
					style = "stroke:" + colDim
				}
			}
			if em := v.edgeMarks[call]; em != nil && em.conflict {
				label = append(label, "conflict: "+strings.Join(em.rules, ", "))
				style = "stroke:" + colConflict + ",stroke-width:2px"
			}
			link(c.Addr, arrow, strings.Join(label, "\n"), call.To.Addr, style)
			if call.Fallback != nil && v.isShown(call.Fallback) {
				link(c.Addr, "-.->", "fallback", call.Fallback.Addr, "stroke:"+colSoft)
			}
		}
		if c.Origin != nil && v.isShown(c.Origin) {
			label := v.originLabel(c)
			style := ""
			if v.flow != nil {
				style = "stroke:" + colDim
				if v.flowOrig[c] {
					style = "stroke:" + colFlow + ",stroke-width:3px"
				}
			}
			if em := v.originMk[c]; em != nil && em.conflict {
				label += "\nconflict: " + strings.Join(em.rules, ", ")
				style = "stroke:" + colConflict + ",stroke-width:2px"
			}
			link(c.Addr, "-.->", label, c.Origin.Addr, style)
		}
		for _, cs := range c.Consumes {
			if cs.Queue == nil || !v.isShown(cs.Queue) {
				continue
			}
			label := v.consumeLabel(cs)
			style := ""
			if v.flow != nil {
				style = "stroke:" + colDim
			}
			link(cs.Queue.Addr, "==>", label, c.Addr, style)
		}
		if c.DeadLetter != nil && v.isShown(c.DeadLetter) {
			link(c.Addr, "-.->", "dead letters", c.DeadLetter.Addr, "stroke:"+colSoft)
		}
	}

	// Node styles.
	b.WriteString("  classDef client fill:" + colClient + ",stroke:" + colInk + "\n")
	b.WriteString("  classDef external fill:" + colExternal + ",stroke:" + colInk + ",stroke-dasharray:4 3\n")
	b.WriteString("  classDef abovetarget fill:" + colAboveTarget + "\n")
	b.WriteString("  classDef afterfailure fill:" + colAfterFailure + "\n")
	b.WriteString("  classDef overcapacity fill:" + colOverCapacity + "\n")
	if v.scenarioMarks() {
		b.WriteString("  classDef down fill:" + colNodeFill + ",stroke:" + colDim + ",stroke-dasharray:6 4,color:" + colDimText + "\n")
	}
	b.WriteString("  classDef spof stroke:" + colSPOF + ",stroke-width:3px\n")
	b.WriteString("  classDef onflow stroke:" + colFlow + ",stroke-width:3px\n")
	b.WriteString("  classDef dim fill:#ffffff,stroke:" + colDim + ",color:" + colDimText + "\n")
	// Classes are written in this order so that a later one wins where
	// two set the same property (a SPOF's red border over the flow's blue).
	order := []string{"client", "external", "dim", "onflow", "abovetarget", "afterfailure", "overcapacity", "spof", "down"}
	classes := map[string][]string{}
	add := func(class, id string) { classes[class] = append(classes[class], id) }
	for _, c := range v.comps() {
		id := ids[c.Addr]
		switch c.Kind {
		case lang.KindClient:
			add("client", id)
		case lang.KindExternal:
			add("external", id)
		}
		if v.flow != nil {
			if v.flowNodes[c] {
				add("onflow", id)
			} else {
				add("dim", id)
			}
		}
		if m := v.marks[c.Addr]; m != nil {
			switch v.loadFill(c) {
			case colAboveTarget:
				add("abovetarget", id)
			case colAfterFailure:
				add("afterfailure", id)
			case colOverCapacity:
				add("overcapacity", id)
			}
			if m.spof {
				add("spof", id)
			}
			if m.down {
				add("down", id)
			}
		}
	}
	for _, class := range order {
		if len(classes[class]) == 0 {
			continue
		}
		fmt.Fprintf(b, "  class %s %s\n", strings.Join(classes[class], ","), class)
	}
	for i, s := range links {
		if s != "" {
			fmt.Fprintf(b, "  linkStyle %d %s\n", i, s)
		}
	}
}
