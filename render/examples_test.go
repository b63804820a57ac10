package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/render/graphviz"
	"github.com/archform/archform/rules"
)

var update = flag.Bool("update", false, "rewrite the golden DOT and Mermaid files")

// requireTool skips a test whose outside program is missing, unless CI asks
// for every tool (ARCHFORM_REQUIRE_TOOLS=1), where it fails.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("ARCHFORM_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s not found and ARCHFORM_REQUIRE_TOOLS=1", name)
		}
		t.Skipf("%s not found: install it to run this test", name)
	}
	return p
}

type example struct {
	name string
	in   Input
}

// examples loads every design under the repository's testdata/*/ and lints
// it with the whole suite, as `archform render` does.
func examples(t *testing.T) []example {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(dir, "*.arch.hcl")); len(m) == 0 {
			continue
		}
		d, diags := lang.Load(dir, lang.Options{})
		if diags.HasErrors() {
			t.Errorf("%s: %s", dir, diags.Error())
			continue
		}
		rep, err := analyze.Run(d, rules.All, nil)
		if err != nil {
			t.Errorf("%s: lint: %v", dir, err)
			continue
		}
		res, err := rep.Results()
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		out = append(out, example{filepath.Base(dir), Input{Design: d, Results: res, Findings: rep.Findings}})
	}
	if len(out) == 0 {
		t.Fatal("no example designs under ../testdata")
	}
	return out
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test ./render -update and review the diff):\n%s", path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\n  want " + wl + "\n  got  " + gl
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

// withoutMessages drops the findings' wording (the rules own it), so that the
// golden files change with what the rules find and where, not how they say it.
func withoutMessages(in Input) Input {
	fs := make([]analyze.Finding, len(in.Findings))
	for i, f := range in.Findings {
		f.Message, f.Detail = "", ""
		f.Grouped = withoutMessages(Input{Findings: f.Grouped}).Findings
		fs[i] = f
	}
	in.Findings = fs
	return in
}

func TestGoldenExamples(t *testing.T) {
	for _, ex := range examples(t) {
		ex.in = withoutMessages(ex.in)
		t.Run(ex.name, func(t *testing.T) {
			for _, f := range []struct {
				ext  string
				draw func(io.Writer, Input, Options) error
			}{{"dot", DOT}, {"mmd", Mermaid}} {
				var a, b bytes.Buffer
				if err := f.draw(&a, ex.in, Options{}); err != nil {
					t.Fatal(err)
				}
				if err := f.draw(&b, ex.in, Options{}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Fatalf("%s output differs run to run", f.ext)
				}
				golden(t, filepath.Join("testdata", "golden", ex.name+"."+f.ext), a.Bytes())
			}
			// Every flow can be highlighted, and the bare design drawn.
			for _, name := range ex.in.Results.FlowOrder {
				if err := DOT(io.Discard, ex.in, Options{Flow: name}); err != nil {
					t.Errorf("--flow %s: %v", name, err)
				}
				if err := Mermaid(io.Discard, ex.in, Options{Flow: name}); err != nil {
					t.Errorf("mermaid --flow %s: %v", name, err)
				}
			}
		})
	}
}

// TestEdgeRatesMatchLoads checks the traffic drawn on edges against the
// analysis: what arrives on a component's incoming edges (calls, a cache's
// misses, a queue's messages) adds up to its load.
func TestEdgeRatesMatchLoads(t *testing.T) {
	for _, ex := range examples(t) {
		v, err := newView(ex.in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		in := map[*lang.Component]float64{}
		for _, c := range v.d.Components {
			for _, call := range c.Calls {
				if call.To != nil {
					in[call.To] += v.callRate(call)
				}
			}
			if c.Origin != nil {
				in[c.Origin] += v.originRate(c)
			}
			for _, cs := range c.Consumes {
				in[c] += v.consumeRate(cs)
			}
		}
		checked := 0
		for _, c := range v.d.Components {
			l := v.load(c)
			if l == nil || c.Kind == lang.KindClient {
				continue
			}
			checked++
			if rate := in[c]; math.Abs(rate-l.Total()) > 1e-6*math.Max(1, l.Total()) {
				t.Errorf("%s: %s: incoming edges carry %g rps, the analysis says %g", ex.name, c.Addr, rate, l.Total())
			}
		}
		if checked == 0 {
			t.Errorf("%s: no component with a load", ex.name)
		}
	}
}

// TestNativeDotAcceptsDOT runs Graphviz's own dot over every example's DOT:
// it must read it without an error or a warning.
func TestNativeDotAcceptsDOT(t *testing.T) {
	dotBin := requireTool(t, "dot")
	for _, ex := range examples(t) {
		for _, opts := range []Options{{}, {NoAnalysis: true}} {
			var b bytes.Buffer
			if err := DOT(&b, ex.in, opts); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(dotBin, "-Tsvg")
			cmd.Stdin = &b
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil || stderr.Len() > 0 {
				t.Errorf("%s: dot: %v: %s", ex.name, err, stderr.String())
				continue
			}
			if !bytes.Contains(out, []byte("<svg")) {
				t.Errorf("%s: dot wrote no SVG", ex.name)
			}
		}
	}
}

// svgOf lays a design out in process (render/graphviz), as the helper does.
func svgOf(t *testing.T, in Input, opts Options) []byte {
	t.Helper()
	svg, err := svgBytes(context.Background(), in, opts, graphviz.SVG)
	if err != nil {
		t.Fatal(err)
	}
	return svg
}

// svgGroups returns the id of every <g> of a class ("node", "edge",
// "cluster") in an SVG, checking that the whole document is well-formed XML.
func svgGroups(t *testing.T, svg []byte) map[string][]string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	groups := map[string][]string{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "g" {
			var id, class string
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "id":
					id = a.Value
				case "class":
					class = a.Value
				}
			}
			groups[class] = append(groups[class], id)
		}
	}
	return groups
}

func TestSVGExamples(t *testing.T) {
	for _, ex := range examples(t) {
		t.Run(ex.name, func(t *testing.T) {
			svg := svgOf(t, ex.in, Options{})
			if again := svgOf(t, ex.in, Options{}); !bytes.Equal(svg, again) {
				t.Fatal("SVG differs run to run")
			}
			g := svgGroups(t, svg)
			nodes := map[string]bool{}
			for _, id := range g["node"] {
				nodes[id] = true
			}
			for _, c := range ex.in.Design.Components {
				if !nodes[c.Addr] {
					t.Errorf("SVG has no node for %s", c.Addr)
				}
			}
			edges := map[string]bool{}
			for _, id := range g["edge"] {
				edges[id] = true
			}
			for _, c := range ex.in.Design.Components {
				for _, call := range c.Calls {
					if id := "call." + c.Addr + "." + itoa(call.Index); call.To != nil && !edges[id] {
						t.Errorf("SVG has no edge %s", id)
					}
				}
			}
			if !nodes["legend"] {
				t.Error("SVG has no legend")
			}
		})
	}
}

// TestPNGExamples rasterises each example's SVG and checks the picture: it
// decodes, its size follows the SVG's, and there is ink where the SVG puts
// every edge (the midpoint of its curve), every node's and cluster's outline
// and every label — the things go-graphviz's own PNG loses.
func TestPNGExamples(t *testing.T) {
	for _, ex := range examples(t) {
		t.Run(ex.name, func(t *testing.T) {
			svg := svgOf(t, ex.in, Options{})
			var a, b bytes.Buffer
			if err := PNG(&a, svg, PNGScale); err != nil {
				t.Fatal(err)
			}
			if err := PNG(&b, svg, PNGScale); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("PNG differs run to run")
			}
			img, err := png.Decode(bytes.NewReader(a.Bytes()))
			if err != nil {
				t.Fatalf("PNG does not decode: %v", err)
			}
			checkInk(t, svg, img)
		})
	}
}

// checkInk samples the picture where the SVG draws.
func checkInk(t *testing.T, svg []byte, img image.Image) {
	t.Helper()
	doc, err := parseSVG(svg)
	if err != nil {
		t.Fatal(err)
	}
	scale := fitScale(doc.width, doc.height, PNGScale)
	bounds := img.Bounds()
	wantW, wantH := int(math.Ceil(doc.width*scale)), int(math.Ceil(doc.height*scale))
	if bounds.Dx() != wantW || bounds.Dy() != wantH {
		t.Fatalf("PNG is %dx%d, want %dx%d from the SVG's %gx%gpt", bounds.Dx(), bounds.Dy(), wantW, wantH, doc.width, doc.height)
	}
	if bounds.Dx() < 100 || bounds.Dy() < 100 || bounds.Dx() > maxPNGSide || bounds.Dy() > maxPNGSide {
		t.Fatalf("PNG size %v out of range", bounds)
	}
	// The top group's transform maps SVG coordinates onto the page.
	top := doc.root.Children[0]
	for _, c := range doc.root.Children {
		if c.XMLName.Local == "g" {
			top = c
			break
		}
	}
	tr, _ := top.attr("transform")
	m := parseTransform(tr)
	px := func(x, y float64) (int, int) {
		x, y = m.apply(x, y)
		return int((x - doc.vbx) * doc.width / doc.vbw * scale), int((y - doc.vby) * doc.height / doc.vbh * scale)
	}
	inked := func(x, y, r int) bool {
		for dy := -r; dy <= r; dy++ {
			for dx := -r; dx <= r; dx++ {
				cr, cg, cb, _ := img.At(x+dx, y+dy).RGBA()
				if cr < 0xd000 || cg < 0xd000 || cb < 0xd000 {
					return true
				}
			}
		}
		return false
	}
	// The page is not ink everywhere: its corner is white.
	if inked(bounds.Min.X+1, bounds.Min.Y+1, 1) {
		t.Error("the page's corner is not white")
	}
	var checked, missing int
	for _, g := range top.Children {
		if g.XMLName.Local != "g" {
			continue
		}
		class, _ := g.attr("class")
		id, _ := g.attr("id")
		for _, p := range samplePoints(&g, class) {
			x, y := px(p[0], p[1])
			checked++
			if !inked(x, y, 5) {
				missing++
				t.Errorf("%s %s: no ink at (%d, %d) (SVG %.1f, %.1f)", class, id, x, y, p[0], p[1])
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d points checked", checked)
	}
}

// samplePoints returns points of an SVG group where ink must be: the
// midpoint of an edge's curve, the first vertex of an outline, the start of a
// label.
func samplePoints(g *svgNode, class string) [][2]float64 {
	var pts [][2]float64
	var walk func(n *svgNode)
	walk = func(n *svgNode) {
		switch n.XMLName.Local {
		case "path":
			d, _ := n.attr("d")
			f := numbers(strings.NewReplacer("M", " ", "C", " ").Replace(d))
			if len(f) >= 8 && class == "edge" {
				// Cubic segments: p0, then three points each. Take the middle
				// segment at t = 0.5.
				nseg := (len(f)/2 - 1) / 3
				s := nseg / 2
				p := func(i int) (float64, float64) { return f[2*(3*s+i)], f[2*(3*s+i)+1] }
				x0, y0 := p(0)
				x1, y1 := p(1)
				x2, y2 := p(2)
				x3, y3 := p(3)
				pts = append(pts, [2]float64{(x0 + 3*x1 + 3*x2 + x3) / 8, (y0 + 3*y1 + 3*y2 + y3) / 8})
			} else if len(f) >= 2 {
				pts = append(pts, [2]float64{f[0], f[1]})
			}
		case "polygon", "polyline":
			if s, _ := n.attr("stroke"); s == "none" || s == "transparent" {
				break
			}
			ps, _ := n.attr("points")
			if f := numbers(ps); len(f) >= 2 {
				pts = append(pts, [2]float64{f[0], f[1]})
			}
		case "ellipse":
			pts = append(pts, [2]float64{attrNum(n, "cx") + attrNum(n, "rx"), attrNum(n, "cy")})
		case "text":
			if strings.TrimSpace(n.Text) == "" {
				break
			}
			// The text's baseline: ink lies just above it, past its start.
			x, y := attrNum(n, "x"), attrNum(n, "y")
			size := 10.0
			if s, ok := n.attr("font-size"); ok {
				size = svgLength(s)
			}
			anchor, _ := n.attr("text-anchor")
			if anchor != "middle" && anchor != "end" {
				x += size * 0.3
			}
			if anchor == "end" {
				x -= size * 0.3
			}
			pts = append(pts, [2]float64{x, y - size*0.3})
		}
		for i := range n.Children {
			walk(&n.Children[i])
		}
	}
	walk(g)
	return pts
}
