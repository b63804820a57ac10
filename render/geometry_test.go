package render

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

// Geometry checks on the SVG Graphviz lays out from our DOT: what a reader
// needs from a picture, measured in SVG points.

// box is an axis-aligned rectangle.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) empty() bool { return b.x1 <= b.x0 || b.y1 <= b.y0 }

func (b box) add(x, y float64) box {
	if b.empty() && b.x0 == 0 && b.x1 == 0 {
		return box{x, y, x + 1e-9, y + 1e-9}
	}
	return box{math.Min(b.x0, x), math.Min(b.y0, y), math.Max(b.x1, x), math.Max(b.y1, y)}
}

// overlap is the area two boxes share.
func (b box) overlap(o box) float64 {
	w := math.Min(b.x1, o.x1) - math.Max(b.x0, o.x0)
	h := math.Min(b.y1, o.y1) - math.Max(b.y0, o.y0)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func (b box) contains(o box, tol float64) bool {
	return o.x0 >= b.x0-tol && o.y0 >= b.y0-tol && o.x1 <= b.x1+tol && o.y1 <= b.y1+tol
}

// dist is the distance from a point to the box (0 inside).
func (b box) dist(x, y float64) float64 {
	dx := math.Max(0, math.Max(b.x0-x, x-b.x1))
	dy := math.Max(0, math.Max(b.y0-y, y-b.y1))
	return math.Hypot(dx, dy)
}

func (b box) String() string {
	return fmt.Sprintf("[%.0f,%.0f %.0fx%.0f]", b.x0, b.y0, b.x1-b.x0, b.y1-b.y0)
}

// svgItem is one top-level group of Graphviz's SVG: a node, an edge or a
// cluster, with its outline's box, its curve's points and its texts' boxes.
type svgItem struct {
	class, id string
	shape     box          // outline (polygons, ellipses, paths that are not the edge's curve)
	curve     [][2]float64 // an edge's curve, sampled
	leaders   [][]float64  // an edge's label leaders (decorate): underline, then to the curve
	texts     []box
	textSizes []float64
}

func svgItems(svg []byte) ([]svgItem, error) {
	doc, err := parseSVG(svg)
	if err != nil {
		return nil, err
	}
	var top *svgNode
	for i := range doc.root.Children {
		if doc.root.Children[i].XMLName.Local == "g" {
			top = &doc.root.Children[i]
			break
		}
	}
	if top == nil {
		return nil, fmt.Errorf("SVG has no graph group")
	}
	var items []svgItem
	for _, g := range top.Children {
		if g.XMLName.Local != "g" {
			continue
		}
		it := svgItem{}
		it.class, _ = g.attr("class")
		it.id, _ = g.attr("id")
		var walk func(n *svgNode)
		walk = func(n *svgNode) {
			switch n.XMLName.Local {
			case "polygon", "polyline":
				pts, _ := n.attr("points")
				f := numbers(pts)
				if it.class == "edge" && n.XMLName.Local == "polyline" {
					it.leaders = append(it.leaders, f)
					break
				}
				for i := 0; i+1 < len(f); i += 2 {
					it.shape = it.shape.add(f[i], f[i+1])
				}
			case "ellipse":
				cx, cy, rx, ry := attrNum(n, "cx"), attrNum(n, "cy"), attrNum(n, "rx"), attrNum(n, "ry")
				it.shape = it.shape.add(cx-rx, cy-ry).add(cx+rx, cy+ry)
			case "path":
				d, _ := n.attr("d")
				f := numbers(strings.NewReplacer("M", " ", "C", " ", "L", " ", "Z", " ", "z", " ").Replace(d))
				if it.class == "edge" && it.curve == nil {
					it.curve = sampleCubics(f)
				} else {
					for i := 0; i+1 < len(f); i += 2 {
						it.shape = it.shape.add(f[i], f[i+1])
					}
				}
			case "text":
				s := strings.TrimSpace(n.Text)
				if s == "" {
					break
				}
				size := 14.0
				if v, ok := n.attr("font-size"); ok {
					size = svgLength(v)
				}
				bold := false
				if v, ok := n.attr("font-weight"); ok {
					bold = v == "bold"
				}
				w := helveticaWidth(s, bold) * size
				x, y := attrNum(n, "x"), attrNum(n, "y")
				anchor, _ := n.attr("text-anchor")
				switch anchor {
				case "middle":
					x -= w / 2
				case "end":
					x -= w
				}
				it.texts = append(it.texts, box{x, y - size*0.75, x + w, y + size*0.2})
				it.textSizes = append(it.textSizes, size)
			}
			for i := range n.Children {
				walk(&n.Children[i])
			}
		}
		walk(&g)
		items = append(items, it)
	}
	return items, nil
}

// sampleCubics samples a path of cubic Béziers (p0, then three points each).
func sampleCubics(f []float64) [][2]float64 {
	if len(f) < 2 {
		return nil
	}
	pts := [][2]float64{{f[0], f[1]}}
	for i := 2; i+5 < len(f); i += 6 {
		x0, y0 := pts[len(pts)-1][0], pts[len(pts)-1][1]
		x1, y1, x2, y2, x3, y3 := f[i], f[i+1], f[i+2], f[i+3], f[i+4], f[i+5]
		for s := 1; s <= 16; s++ {
			u := float64(s) / 16
			a, b, c, d := (1-u)*(1-u)*(1-u), 3*u*(1-u)*(1-u), 3*u*u*(1-u), u*u*u
			pts = append(pts, [2]float64{a*x0 + b*x1 + c*x2 + d*x3, a*y0 + b*y1 + c*y2 + d*y3})
		}
	}
	return pts
}

// labelReach is how far (points) an edge's label may lie from its curve:
// Graphviz places a label beside the edge it belongs to; one further away
// reads as another edge's.
const labelReach = 24.0

// checkGeometry checks a laid-out diagram: no two node boxes overlap; every
// edge label lies within labelReach of its edge's curve and nearer to it
// than to any other edge; every region frame contains the boxes of the
// nodes placed in it; no text is smaller than 7 pt (9.3 px at 100%).
func checkGeometry(t *testing.T, in Input, opts Options, svg []byte) {
	t.Helper()
	problems, err := geometryProblems(in, opts, svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// geometryProblems lists what checkGeometry reports.
func geometryProblems(in Input, opts Options, svg []byte) ([]string, error) {
	items, err := svgItems(svg)
	if err != nil {
		return nil, err
	}
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	var nodes []svgItem
	byID := map[string]svgItem{}
	for _, it := range items {
		byID[it.id] = it
		if it.class == "node" && !it.shape.empty() {
			nodes = append(nodes, it)
		}
		for i, s := range it.textSizes {
			if s < 7 {
				errorf("%s %s: text %s is %g pt", it.class, it.id, it.texts[i], s)
			}
		}
	}
	for i := range nodes {
		for j := i + 1; j < len(nodes); j++ {
			if a := nodes[i].shape.overlap(nodes[j].shape); a > 1 {
				errorf("nodes %s %s and %s %s overlap (%.0f pt²)", nodes[i].id, nodes[i].shape, nodes[j].id, nodes[j].shape, a)
			}
		}
	}
	var edges []svgItem
	for _, it := range items {
		if it.class == "edge" && len(it.curve) > 0 {
			edges = append(edges, it)
		}
	}
	var labels []box
	var labelOf []string
	for _, e := range edges {
		// An edge's label is one block of lines.
		if len(e.texts) == 0 {
			continue
		}
		var label box
		for _, tb := range e.texts {
			label = label.add(tb.x0, tb.y0).add(tb.x1, tb.y1)
		}
		labels, labelOf = append(labels, label), append(labelOf, e.id)
		own := curveDist(label, e.curve)
		// A leader line lets a label lie a little further off.
		if reach := labelReach; own > reach && (!attached(label, e) || own > 1.5*reach) {
			errorf("edge %s: label %s lies %.0f pt from its curve (more than %g)", e.id, label, own, reach)
		}
		// A label nearer to another edge than to its own must be tied to
		// its own by a leader line that ends on its curve.
		for _, o := range edges {
			if o.id == e.id || curveDist(label, o.curve) >= own-8 {
				continue
			}
			if !attached(label, e) {
				errorf("edge %s: label %s lies nearer to edge %s (%.0f pt) than to its own (%.0f pt) and no leader ties it to its own", e.id, label, o.id, curveDist(label, o.curve), own)
			}
			break
		}
		for _, n := range nodes {
			if a := label.overlap(n.shape); a > 4 {
				errorf("edge %s: label %s overlaps node %s %s", e.id, label, n.id, n.shape)
			}
		}
	}
	// No edge passes through a label: another edge's, its own, or the
	// text of a node (edges end at a node's outline, never in its text).
	for _, e := range edges {
		for i, l := range labels {
			if crosses(e.curve, shrink(l, 1.5)) {
				errorf("edge %s passes through the label %s of edge %s", e.id, l, labelOf[i])
			}
		}
		for _, n := range nodes {
			for _, tb := range n.texts {
				if crosses(e.curve, shrink(tb, 1.5)) {
					errorf("edge %s passes through the text %s of node %s", e.id, tb, n.id)
					break
				}
			}
		}
	}
	for i := range labels {
		for j := i + 1; j < len(labels); j++ {
			if labels[i].overlap(labels[j]) > 4 {
				errorf("labels of edges %s %s and %s %s overlap", labelOf[i], labels[i], labelOf[j], labels[j])
			}
		}
	}
	v, err := newView(in, opts)
	if err != nil {
		return nil, err
	}
	pl := v.placements()
	groups, _ := v.summaryGroups()
	for _, r := range v.d.Regions {
		frame, ok := byID["region."+r.Name]
		members := append([]string(nil), addrs(pl.byRegion[r])...)
		for _, z := range r.Zones {
			members = append(members, addrs(pl.byZone[z])...)
		}
		if opts.Summary {
			members = nil
			for _, g := range groups {
				if g.region == r {
					members = append(members, g.id())
				}
			}
		}
		if !ok {
			if len(members) > 0 {
				errorf("region %s has components but no frame", r.Name)
			}
			continue
		}
		sort.Strings(members)
		for _, m := range members {
			n, ok := byID[m]
			if !ok {
				errorf("no node %s", m)
				continue
			}
			if !frame.shape.contains(n.shape, 0.5) {
				errorf("region %s's frame %s does not contain %s %s", r.Name, frame.shape, m, n.shape)
			}
		}
	}
	return problems, nil
}

func addrs(cs []*lang.Component) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Addr
	}
	return out
}

// attached reports whether one of an edge's leaders starts at the label
// (its underline) and ends on the edge's curve.
func attached(label box, e svgItem) bool {
	for _, l := range e.leaders {
		if len(l) < 4 {
			continue
		}
		x0, y0 := l[0], l[1]
		xn, yn := l[len(l)-2], l[len(l)-1]
		if label.dist(x0, y0) <= 4 && curveDist(box{xn, yn, xn, yn}, e.curve) <= 4 {
			return true
		}
	}
	return false
}

// shrink returns the box with d points taken off each side (the text boxes
// are estimated from Helvetica's widths: a line grazing one is not through it).
func shrink(b box, d float64) box { return box{b.x0 + d, b.y0 + d, b.x1 - d, b.y1 - d} }

// crosses reports whether a sampled curve passes through the box: whether
// one of its chords meets it (Liang–Barsky clipping).
func crosses(curve [][2]float64, b box) bool {
	if b.empty() {
		return false
	}
	for i := 1; i < len(curve); i++ {
		p, q := curve[i-1], curve[i]
		dx, dy := q[0]-p[0], q[1]-p[1]
		t0, t1 := 0.0, 1.0
		ok := true
		for _, c := range [4][2]float64{{-dx, p[0] - b.x0}, {dx, b.x1 - p[0]}, {-dy, p[1] - b.y0}, {dy, b.y1 - p[1]}} {
			pk, qk := c[0], c[1]
			if pk == 0 {
				if qk < 0 {
					ok = false
					break
				}
				continue
			}
			r := qk / pk
			if pk < 0 {
				t0 = math.Max(t0, r)
			} else {
				t1 = math.Min(t1, r)
			}
			if t0 > t1 {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// curveDist is the distance from a box to the nearest sample of a curve.
func curveDist(b box, curve [][2]float64) float64 {
	d := math.Inf(1)
	for i, p := range curve {
		d = math.Min(d, b.dist(p[0], p[1]))
		if i > 0 { // and the midpoints of the chords
			q := curve[i-1]
			d = math.Min(d, b.dist((p[0]+q[0])/2, (p[1]+q[1])/2))
		}
	}
	return d
}

func TestGeometryExamples(t *testing.T) {
	for _, ex := range examples(t) {
		t.Run(ex.name, func(t *testing.T) {
			checkGeometry(t, ex.in, Options{}, svgOf(t, ex.in, Options{}))
		})
	}
}

// TestGeometryCatchesMistakes: the check reports a label moved away from
// its edge, two nodes drawn over each other and a frame that misses a member.
func TestGeometryCatchesMistakes(t *testing.T) {
	in := fixture()
	svg := string(svgOf(t, in, Options{}))
	if p, err := geometryProblems(in, Options{}, []byte(svg)); err != nil || len(p) > 0 {
		t.Fatalf("the fixture's own picture: %v %v", p, err)
	}
	group := func(s, id string) (int, int) {
		i := strings.Index(s, `<g id="`+id+`"`)
		if i < 0 {
			t.Fatalf("no group %s", id)
		}
		return i, i + strings.Index(s[i:], "</g>\n<!--")
	}
	items, err := svgItems([]byte(svg))
	if err != nil {
		t.Fatal(err)
	}
	textOf := map[string]box{}
	for _, it := range items {
		if len(it.texts) > 0 {
			textOf[it.id] = it.texts[0]
		}
	}
	// through returns the edge's group with its curve replaced by a
	// straight line across the middle of the box.
	through := func(s, edge string, b box) string {
		i, j := group(s, edge)
		y := (b.y0 + b.y1) / 2
		line := fmt.Sprintf(` d="M%.1f,%.1fC%.1f,%.1f %.1f,%.1f %.1f,%.1f"`, b.x0-30, y, b.x0-10, y, b.x1+10, y, b.x1+30, y)
		return s[:i] + regexp.MustCompile(` d="[^"]*"`).ReplaceAllString(s[i:j], line) + s[j:]
	}
	firstAttr := regexp.MustCompile(`(<text[^>]* x=")([-0-9.]+)`)
	points := regexp.MustCompile(`points="[^"]*"`)
	for name, c := range map[string]struct {
		mutate func(s string) string
		want   string
	}{
		"label moved": {func(s string) string {
			i, j := group(s, "call.service.api.2")
			return s[:i] + firstAttr.ReplaceAllStringFunc(s[i:j], func(m string) string {
				sub := firstAttr.FindStringSubmatch(m)
				x := 0.0
				fmt.Sscan(sub[2], &x)
				return sub[1] + fmt.Sprint(x+300)
			}) + s[j:]
		}, "lies .* pt from its curve"},
		"nodes overlap": {func(s string) string {
			i, j := group(s, "load_balancer.edge")
			k, l := group(s, "queue.events")
			qp := points.FindString(s[k:l])
			return s[:i] + points.ReplaceAllString(s[i:j], qp) + s[j:]
		}, "nodes .* overlap"},
		"edge through a node's text": {func(s string) string {
			return through(s, "call.client.web.0", textOf["database.orders"])
		}, "edge call.client.web.0 passes through the text .* of node database.orders"},
		"edge through a label": {func(s string) string {
			return through(s, "call.client.web.0", textOf["call.service.api.0"])
		}, "edge call.client.web.0 passes through the label .* of edge call.service.api.0"},
		"frame misses a member": {func(s string) string {
			i, j := group(s, "region.r1")
			return s[:i] + regexp.MustCompile(` d="[^"]*"`).ReplaceAllString(points.ReplaceAllString(s[i:j], `points="0,0 1,0 1,1 0,1"`), ` d="M0,0C0,0 1,1 1,1"`) + s[j:]
		}, "region r1's frame .* does not contain"},
	} {
		mutated := c.mutate(svg)
		if mutated == svg {
			t.Fatalf("%s: the mutation changed nothing", name)
		}
		p, err := geometryProblems(in, Options{}, []byte(mutated))
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(c.want).MatchString(strings.Join(p, "\n")) {
			t.Errorf("%s: problems %q do not match %s", name, p, c.want)
		}
	}
}
