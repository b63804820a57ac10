package render

import (
	"math"
	"strings"

	"github.com/archform/archform/lang"
)

// How the DOT asks Graphviz to arrange the picture so that it reads:
//
//   - Tiers, top to bottom: entry (clients, CDNs), edge (load balancers,
//     gateways), services (services, queues), data (caches, databases,
//     storage, search, external systems). archform assigns the ranks itself
//     (ranks): within a tier a node sits below every node of its tier that
//     calls it (the longest chain of such calls, cycles cut where met), and
//     each tier starts below the last rank of the tier above; each rank is
//     one `rank=same` group (with newrank, across frames). An edge that points
//     up the tiers (a database calling a service) does not constrain.
//     Ranks cost Graphviz nothing, where invisible constraint edges (tried
//     first) made a 300-component layout 15 times slower.
//   - Rows: a rank wider than rowWidth nodes (twenty services behind one
//     gateway) is wrapped into several ranks of rowWidth.
//   - Text wraps at a bounded width, and the polygons that Graphviz would
//     blow up around a long label (funnel, hexagon, octagon) get a fixed
//     size computed from their text.

// tier is a layer of the picture.
type tier int

const (
	tierEntry tier = iota
	tierEdge
	tierServices
	tierData
	numTiers
)

func tierOf(k lang.Kind) tier {
	switch k {
	case lang.KindClient, lang.KindCDN:
		return tierEntry
	case lang.KindLoadBalancer, lang.KindGateway:
		return tierEdge
	case lang.KindService, lang.KindQueue:
		return tierServices
	}
	return tierData
}

// edgeStmt is the head of a DOT edge statement from a to b, with the
// attributes its direction needs. An edge that goes up the tiers (a
// database calling a service) is written the other way round with
// dir=back: drawn from a to b, laid out as if b called a, so that it
// neither fights the tiers nor is routed (with its label) after the layout
// as a constraint=false edge is, where it ran through other edges' labels.
func edgeStmt(a, b *lang.Component) (string, []attr) {
	if tierOf(a.Kind) > tierOf(b.Kind) {
		return dotQuote(b.Addr) + " -> " + dotQuote(a.Addr), []attr{{key: "dir", val: "back"}}
	}
	return dotQuote(a.Addr) + " -> " + dotQuote(b.Addr), nil
}

// ranks assigns each shown component its rank (see above) and returns the
// ranks top to bottom, each a list of components in source order.
func (v *view) ranks(comps []*lang.Component) [][]*lang.Component {
	shown := map[*lang.Component]bool{}
	for _, c := range comps {
		shown[c] = true
	}
	// preds are the shown components of the same tier with an edge to c.
	preds := map[*lang.Component][]*lang.Component{}
	link := func(a, b *lang.Component) {
		if a != nil && b != nil && a != b && shown[a] && shown[b] && tierOf(a.Kind) == tierOf(b.Kind) {
			preds[b] = append(preds[b], a)
		}
	}
	for _, c := range comps {
		for _, call := range c.Calls {
			link(c, call.To)
		}
		link(c, c.Origin)
		for _, cs := range c.Consumes {
			link(cs.Queue, c)
		}
		link(c, c.DeadLetter)
	}
	depth := map[*lang.Component]int{}
	state := map[*lang.Component]int{} // 1 visiting, 2 done
	var visit func(c *lang.Component) int
	visit = func(c *lang.Component) int {
		switch state[c] {
		case 1:
			return -1 // a cycle: cut here
		case 2:
			return depth[c]
		}
		state[c] = 1
		d := 0
		for _, p := range preds[c] {
			d = max(d, visit(p)+1)
		}
		state[c], depth[c] = 2, d
		return d
	}
	var out [][]*lang.Component
	for t := tierEntry; t < numTiers; t++ {
		var layers [][]*lang.Component
		for _, c := range comps {
			if tierOf(c.Kind) != t {
				continue
			}
			d := visit(c)
			for len(layers) <= d {
				layers = append(layers, nil)
			}
			layers[d] = append(layers[d], c)
		}
		for _, l := range layers {
			w := rowWidth(len(l))
			for len(l) > w {
				out = append(out, l[:w])
				l = l[w:]
			}
			if len(l) > 0 {
				out = append(out, l)
			}
		}
	}
	return out
}

// writeRanks writes one rank=same group per rank, and returns the first
// node of the last rank ("" when nothing is drawn), which the legend hangs
// under.
func (v *view) writeRanks(b *dotBuf, comps []*lang.Component) string {
	if len(comps) > rankedDesign {
		return ""
	}
	ranks := v.ranks(comps)
	if len(ranks) == 0 {
		return ""
	}
	b.line("")
	b.line("// Ranks, top to bottom: tiers (entry, edge, services, data), calls within a tier, wide layers wrapped.")
	for _, r := range ranks {
		ids := make([]string, len(r))
		for i, c := range r {
			ids[i] = dotQuote(c.Addr)
		}
		b.line("{ rank=same; " + strings.Join(ids, "; ") + " }")
	}
	// Consecutive ranks are held in order by an invisible edge between
	// their first nodes, where no call does it.
	for i := 1; i < len(ranks); i++ {
		b.stmt(dotQuote(ranks[i-1][0].Addr)+" -> "+dotQuote(ranks[i][0].Addr), []attr{{key: "style", val: "invis"}, {key: "weight", val: "0"}})
	}
	return ranks[len(ranks)-1][0].Addr
}

// rankedDesign is the size (in components) up to which the DOT gives the
// ranks (tiers and rows). Ranks are what a layout costs most: measured
// side by side (BenchmarkSVG100; 150 and 200 with the thresholds moved), go-graphviz takes 2 CPU-s for a generated
// 100-component design ranked (native dot 0.9; both 0.2 unranked), 5.0 at
// 150 and 6.8 at 200 even with the network simplex limited; past 100
// components a whole-design picture is drawn as the summary view by default
// (past SummaryThreshold) and the report draws a tier in parts of at most
// rankedDesign components, each ranked.
const rankedDesign = 100

// rowWidth is how many nodes of a layer of n go in one row: about the
// square root of 2n, at least 6 (a layer of 20 makes rows of 7).
func rowWidth(n int) int {
	return max(6, int(math.Ceil(math.Sqrt(2*float64(n)))))
}

// wrapText breaks text into lines of at most width characters at spaces
// (a word longer than width stays whole on its own line).
func wrapText(s string, width int) []string {
	words := strings.Fields(s)
	var lines []string
	var cur strings.Builder
	for _, w := range words {
		if cur.Len() > 0 && cur.Len()+1+len([]rune(w)) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// labelWidth is how many characters a node's small lines wrap at: the
// polygons that grow fastest with their text wrap sooner.
func labelWidth(k lang.Kind) int {
	switch k {
	case lang.KindLoadBalancer, lang.KindGateway, lang.KindCDN:
		return 24
	}
	return 32
}

// fixedShape returns the size (inches) of a polygon that Graphviz would
// otherwise grow far past its text (funnel, hexagon, octagon), from the
// label's lines measured in Helvetica; ok is false for other shapes.
func fixedShape(k lang.Kind, lines []labelLine) (w, h float64, ok bool) {
	var slant float64
	switch k {
	case lang.KindLoadBalancer:
		slant = 0.9 // an inverted trapezium: the text sits in its wide half
	case lang.KindGateway, lang.KindCDN:
		slant = 0.55
	default:
		return 0, 0, false
	}
	var tw, th float64
	for _, l := range lines {
		tw = math.Max(tw, helveticaWidth(l.text, l.bold)*l.size)
		th += l.size * 1.2
	}
	wpt := tw + 2*0.12*72 + slant*(th+12)
	hpt := th + 2*0.06*72 + 8
	return math.Ceil(wpt/72*100) / 100, math.Ceil(hpt/72*100) / 100, true
}

// labelLine is one line of a node's label as drawn.
type labelLine struct {
	text  string
	size  float64 // points
	bold  bool
	color string
}

// edgeLabel is the attribute edge labels are written in: label (Graphviz
// makes room for it in the layout; xlabel and taillabel, tried, overlapped
// other edges and each other), decorated (see the edge defaults).
const edgeLabel = "label"
