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
//     storage, search, external systems). Invisible anchor nodes, one per
//     tier boundary, with invisible edges of weight 0 from the anchor above a
//     tier to each of its nodes and from each node to the anchor below,
//     keep every node between its tier's anchors whatever its calls; an edge
//     that points up the tiers (a queue to its consumer) does not constrain
//     the ranks.
//   - Rows: a layer wider than rowWidth nodes (twenty services behind one
//     gateway) is wrapped into rows by invisible edges from each node to the
//     one rowWidth places further along.
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

var tierNames = [numTiers]string{"entry", "edge", "services", "data"}

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

// anchorID is the invisible node above tier t (t == numTiers: below the last).
func anchorID(t tier) string {
	if t >= numTiers {
		return "tier.end"
	}
	return "tier." + tierNames[t]
}

// upward returns constraint=false for an edge from a to b that goes up the
// tiers (a queue to its consumer, a database calling a service), which must
// not constrain the ranks; nothing for any other edge.
func upward(a, b *lang.Component) []attr {
	if tierOf(a.Kind) > tierOf(b.Kind) {
		return []attr{{key: "constraint", val: "false"}}
	}
	return nil
}

// writeTiers writes the tier anchors and the invisible edges that hold each
// shown component between the anchors of its tier, and the row wrapping of
// wide layers; past largeDesign components only the anchors (the legend
// hangs from the last), to keep the layout fast.
func (v *view) writeTiers(b *dotBuf, comps []*lang.Component) {
	b.line("")
	b.line("// Tiers, top to bottom: invisible anchors hold each node between its tier's.")
	for t := tierEntry; t <= numTiers; t++ {
		b.stmt(dotQuote(anchorID(t)), []attr{{key: "shape", val: "point"}, {key: "style", val: "invis"},
			{key: "width", val: "0"}, {key: "height", val: "0"}, {key: "label", val: ""}})
	}
	invis := []attr{{key: "style", val: "invis"}, {key: "weight", val: "0"}}
	for t := tierEntry; t < numTiers; t++ {
		b.stmt(dotQuote(anchorID(t))+" -> "+dotQuote(anchorID(t+1)), invis)
	}
	if len(comps) > largeDesign {
		return
	}
	// The anchor above a tier may share the rank of its first nodes
	// (minlen 0), so that the anchors add no rank of their own.
	same := append([]attr{{key: "minlen", val: "0"}}, invis...)
	for _, c := range comps {
		t := tierOf(c.Kind)
		b.stmt(dotQuote(anchorID(t))+" -> "+dotQuote(c.Addr), same)
		b.stmt(dotQuote(c.Addr)+" -> "+dotQuote(anchorID(t+1)), invis)
	}
	// Clients start the picture, side by side.
	var clients []string
	for _, c := range comps {
		if c.Kind == lang.KindClient {
			clients = append(clients, dotQuote(c.Addr))
		}
	}
	if len(clients) > 1 {
		b.line("{ rank=same; " + strings.Join(clients, "; ") + " }")
	}
	for _, row := range v.wideLayers(comps) {
		w := rowWidth(len(row))
		for i := 0; i+w < len(row); i++ {
			b.stmt(dotQuote(row[i].Addr)+" -> "+dotQuote(row[i+w].Addr), invis)
		}
	}
}

// rowWidth is how many nodes of a layer of n go in one row: about the
// square root of 2n, at least 6 (a layer of 20 makes rows of 6 or 7).
func rowWidth(n int) int {
	return max(6, int(math.Ceil(math.Sqrt(2*float64(n)))))
}

// wideLayers returns the layers that must be wrapped into rows: shown
// components of one frame and tier at the same depth of the calls within
// that tier, more than rowWidth of them.
func (v *view) wideLayers(comps []*lang.Component) [][]*lang.Component {
	shown := map[*lang.Component]bool{}
	for _, c := range comps {
		shown[c] = true
	}
	// Depth within the tier: the longest chain of same-tier edges that
	// reaches the node (cycles cut where they are met).
	depth := map[*lang.Component]int{}
	state := map[*lang.Component]int{} // 1 visiting, 2 done
	var visit func(c *lang.Component) int
	visit = func(c *lang.Component) int {
		switch state[c] {
		case 1:
			return 0
		case 2:
			return depth[c]
		}
		state[c] = 1
		d := 0
		for _, p := range v.d.Incoming(c) {
			if p.From != nil && shown[p.From] && tierOf(p.From.Kind) == tierOf(c.Kind) && p.From != c {
				d = max(d, visit(p.From)+1)
			}
		}
		for _, cs := range c.Consumes {
			if cs.Queue != nil && shown[cs.Queue] && tierOf(cs.Queue.Kind) == tierOf(c.Kind) {
				d = max(d, visit(cs.Queue)+1)
			}
		}
		state[c], depth[c] = 2, d
		return d
	}
	type key struct {
		frame string
		t     tier
		depth int
	}
	groups := map[key][]*lang.Component{}
	var order []key
	for _, c := range comps {
		zone, region := v.home(c)
		frame := ""
		switch {
		case zone != nil:
			frame = "zone." + zone.Name
		case region != nil:
			frame = "region." + region.Name
		}
		k := key{frame, tierOf(c.Kind), visit(c)}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	var out [][]*lang.Component
	for _, k := range order {
		if g := groups[k]; len(g) > rowWidth(len(g)) {
			out = append(out, g)
		}
	}
	return out
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

// edgeLabel is the attribute edge labels are written in.
const edgeLabel = "label"
