package render

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/fogleman/gg"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// PNG rasterises an SVG written by Graphviz and writes it as PNG.
//
// go-graphviz's own PNG renderer drops most edges and cluster frames, so
// archform draws the SVG itself: it reads the subset of SVG that Graphviz's
// SVG renderer writes (groups, polygons, polylines, paths of cubic Béziers,
// ellipses and text, with fill, stroke, width, dashes and opacity) and paints
// it with an anti-aliasing rasteriser, text in the Go fonts. scale is pixels
// per SVG point (1.5 gives about 108 dpi); very large diagrams are scaled down
// to at most maxPNGSide pixels a side.
func PNG(w io.Writer, svg []byte, scale float64) error {
	doc, err := parseSVG(svg)
	if err != nil {
		return err
	}
	scale = fitScale(doc.width, doc.height, scale)
	wpx, hpx := int(math.Ceil(doc.width*scale)), int(math.Ceil(doc.height*scale))
	if wpx < 1 || hpx < 1 {
		return fmt.Errorf("svg: empty picture (%gx%g)", doc.width, doc.height)
	}
	r := &raster{dc: gg.NewContext(wpx, hpx), scale: scale, vbx: doc.vbx, vby: doc.vby,
		sx: doc.width / doc.vbw, sy: doc.height / doc.vbh}
	r.dc.SetColor(color.White)
	r.dc.Clear()
	r.draw(doc.root, style{fill: color.Black, stroke: nil, width: 1, fontSize: 14, anchor: "start"}, identity)
	var buf bytes.Buffer
	// The fastest compression: encoding a large picture at the default
	// level took as long as drawing it, for a file about a third smaller.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, r.dc.Image()); err != nil {
		return err
	}
	_, err = w.Write(withSoftware(buf.Bytes()))
	return err
}

// PNGSoftware is the value of the "Software" text chunk in every PNG that
// archform draws: it tells archform, before it overwrites a PNG, that it
// wrote the file.
const PNGSoftware = "archform"

// withSoftware inserts a tEXt chunk "Software" = PNGSoftware right after the
// IHDR chunk of an encoded PNG (the PNG specification allows tEXt anywhere
// between IHDR and IEND; image/png writes none).
func withSoftware(img []byte) []byte {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4 // signature, then IHDR's length, type, data, CRC
	if len(img) < ihdrEnd {
		return img
	}
	data := []byte("Software\x00" + PNGSoftware)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(img)+len(chunk))
	out = append(out, img[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, img[ihdrEnd:]...)
}

// maxPNGSide bounds the PNG's width and height in pixels, maxPNGPixels
// their product: an RGBA picture of 12 million pixels takes 48 MB, which
// keeps a 300-component diagram's rasterising under 200 MB.
const (
	maxPNGSide   = 16000.0
	maxPNGPixels = 12e6
)

// fitScale is the pixels per point for a picture of w×h points: scale
// (1.5 when unset), less where the picture would pass maxPNGSide or
// maxPNGPixels.
func fitScale(w, h, scale float64) float64 {
	if scale <= 0 {
		scale = 1.5
	}
	scale = math.Min(scale, maxPNGSide/math.Max(w, h))
	return math.Min(scale, math.Sqrt(maxPNGPixels/(w*h)))
}

// svgNode is an SVG element as read by encoding/xml.
type svgNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []svgNode  `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n *svgNode) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

type svgDoc struct {
	root               *svgNode
	width, height      float64 // in points
	vbx, vby, vbw, vbh float64
}

func parseSVG(data []byte) (*svgDoc, error) {
	var root svgNode
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	// Graphviz's SVG has a DOCTYPE naming the SVG 1.1 DTD; entities are the
	// XML ones.
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("svg: %w", err)
	}
	if root.XMLName.Local != "svg" {
		return nil, fmt.Errorf("svg: root element is <%s>, not <svg>", root.XMLName.Local)
	}
	doc := &svgDoc{root: &root}
	w, _ := root.attr("width")
	h, _ := root.attr("height")
	doc.width, doc.height = svgLength(w), svgLength(h)
	if vb, ok := root.attr("viewBox"); ok {
		f := numbers(vb)
		if len(f) == 4 {
			doc.vbx, doc.vby, doc.vbw, doc.vbh = f[0], f[1], f[2], f[3]
		}
	}
	if doc.vbw == 0 || doc.vbh == 0 {
		doc.vbw, doc.vbh = doc.width, doc.height
	}
	if doc.width == 0 || doc.height == 0 {
		doc.width, doc.height = doc.vbw, doc.vbh
	}
	if doc.width <= 0 || doc.height <= 0 {
		return nil, fmt.Errorf("svg: no size")
	}
	return doc, nil
}

// svgLength reads "94pt", "120px" or "12" as points.
func svgLength(s string) float64 {
	s = strings.TrimSpace(s)
	unit := 1.0
	switch {
	case strings.HasSuffix(s, "pt"):
		s = strings.TrimSuffix(s, "pt")
	case strings.HasSuffix(s, "px"):
		s, unit = strings.TrimSuffix(s, "px"), 0.75
	case strings.HasSuffix(s, "in"):
		s, unit = strings.TrimSuffix(s, "in"), 72
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f * unit
}

// numbers reads every number in a list such as "1,2 3.5 -4e1".
func numbers(s string) []float64 {
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		if v, err := strconv.ParseFloat(f, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// matrix is an affine transform [a c e; b d f].
type matrix struct{ a, b, c, d, e, f float64 }

var identity = matrix{a: 1, d: 1}

func (m matrix) mul(n matrix) matrix { // m then n applied first: m·n
	return matrix{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

// parseTransform reads translate, scale and rotate lists as Graphviz writes
// them ("scale(1 1) rotate(0) translate(4 249.23)").
func parseTransform(s string) matrix {
	m := identity
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		open := strings.IndexByte(s, '(')
		end := strings.IndexByte(s, ')')
		if open < 0 || end < open {
			break
		}
		name, args := strings.TrimSpace(s[:open]), numbers(s[open+1:end])
		s = s[end+1:]
		var t matrix
		switch {
		case name == "translate" && len(args) >= 1:
			t = matrix{a: 1, d: 1, e: args[0]}
			if len(args) > 1 {
				t.f = args[1]
			}
		case name == "scale" && len(args) >= 1:
			t = matrix{a: args[0], d: args[0]}
			if len(args) > 1 {
				t.d = args[1]
			}
		case name == "rotate" && len(args) >= 1:
			rad := args[0] * math.Pi / 180
			t = matrix{a: math.Cos(rad), b: math.Sin(rad), c: -math.Sin(rad), d: math.Cos(rad)}
		case name == "matrix" && len(args) == 6:
			t = matrix{args[0], args[1], args[2], args[3], args[4], args[5]}
		default:
			continue
		}
		m = m.mul(t)
	}
	return m
}

// style is the inherited presentation state.
type style struct {
	fill, stroke color.Color // nil: none
	width        float64
	dash         []float64
	fontSize     float64
	bold, italic bool
	anchor       string
}

type raster struct {
	dc               *gg.Context
	scale            float64
	vbx, vby, sx, sy float64
}

func (r *raster) draw(n *svgNode, st style, m matrix) {
	st = inherit(n, st)
	if t, ok := n.attr("transform"); ok {
		m = m.mul(parseTransform(t))
	}
	switch n.XMLName.Local {
	case "svg", "g", "a":
		for i := range n.Children {
			r.draw(&n.Children[i], st, m)
		}
	case "polygon", "polyline":
		pts, _ := n.attr("points")
		f := numbers(pts)
		for i := 0; i+1 < len(f); i += 2 {
			x, y := r.device(m, f[i], f[i+1])
			if i == 0 {
				r.dc.MoveTo(x, y)
			} else {
				r.dc.LineTo(x, y)
			}
		}
		if n.XMLName.Local == "polygon" {
			r.dc.ClosePath()
			r.paint(st)
		} else {
			st.fill = nil
			r.paint(st)
		}
	case "path":
		d, _ := n.attr("d")
		r.path(d, m)
		r.paint(st)
	case "ellipse", "circle":
		cx, cy := attrNum(n, "cx"), attrNum(n, "cy")
		rx, ry := attrNum(n, "rx"), attrNum(n, "ry")
		if n.XMLName.Local == "circle" {
			rx, ry = attrNum(n, "r"), attrNum(n, "r")
		}
		// Four cubic arcs through the transform.
		const k = 0.5522847498
		pts := [][2]float64{{cx + rx, cy}, {cx + rx, cy + k*ry}, {cx + k*rx, cy + ry}, {cx, cy + ry},
			{cx - k*rx, cy + ry}, {cx - rx, cy + k*ry}, {cx - rx, cy},
			{cx - rx, cy - k*ry}, {cx - k*rx, cy - ry}, {cx, cy - ry},
			{cx + k*rx, cy - ry}, {cx + rx, cy - k*ry}, {cx + rx, cy}}
		x, y := r.device(m, pts[0][0], pts[0][1])
		r.dc.MoveTo(x, y)
		for i := 1; i+2 < len(pts); i += 3 {
			x1, y1 := r.device(m, pts[i][0], pts[i][1])
			x2, y2 := r.device(m, pts[i+1][0], pts[i+1][1])
			x3, y3 := r.device(m, pts[i+2][0], pts[i+2][1])
			r.dc.CubicTo(x1, y1, x2, y2, x3, y3)
		}
		r.dc.ClosePath()
		r.paint(st)
	case "text":
		r.text(n, st, m)
	}
}

// device maps user coordinates to pixels.
func (r *raster) device(m matrix, x, y float64) (float64, float64) {
	x, y = m.apply(x, y)
	return (x - r.vbx) * r.sx * r.scale, (y - r.vby) * r.sy * r.scale
}

func attrNum(n *svgNode, name string) float64 {
	s, _ := n.attr(name)
	f, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f
}

// inherit applies an element's presentation attributes.
func inherit(n *svgNode, st style) style {
	opacity := map[string]float64{}
	for _, a := range n.Attrs {
		v := strings.TrimSpace(a.Value)
		switch a.Name.Local {
		case "fill":
			st.fill = parseColor(v)
		case "stroke":
			st.stroke = parseColor(v)
		case "stroke-width":
			st.width, _ = strconv.ParseFloat(v, 64)
		case "stroke-dasharray":
			st.dash = numbers(v)
		case "font-size":
			st.fontSize = svgLength(v)
		case "font-weight":
			st.bold = v == "bold" || v == "bolder" || v >= "600"
		case "font-style":
			st.italic = v == "italic" || v == "oblique"
		case "text-anchor":
			st.anchor = v
		case "fill-opacity", "stroke-opacity":
			opacity[a.Name.Local], _ = strconv.ParseFloat(v, 64)
		}
	}
	if o, ok := opacity["fill-opacity"]; ok && st.fill != nil {
		st.fill = withOpacity(st.fill, o)
	}
	if o, ok := opacity["stroke-opacity"]; ok && st.stroke != nil {
		st.stroke = withOpacity(st.stroke, o)
	}
	return st
}

func withOpacity(c color.Color, o float64) color.Color {
	r, g, b, a := c.RGBA()
	f := math.Max(0, math.Min(1, o))
	return color.NRGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: uint16(float64(a) * f)}
}

// parseColor reads "none", "transparent", "#rgb", "#rrggbb", "#rrggbbaa" and
// the SVG colour names. nil means no paint.
func parseColor(s string) color.Color {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "none", "transparent":
		return nil
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) == 6 {
			h += "ff"
		}
		if len(h) != 8 {
			return color.Black
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return color.Black
		}
		return color.NRGBA{R: uint8(v >> 24), G: uint8(v >> 16), B: uint8(v >> 8), A: uint8(v)}
	}
	if c, ok := svgColorNames[s]; ok {
		return c
	}
	return color.Black
}

// svgColorNames are the colour names Graphviz writes into the SVG of a
// diagram drawn from archform's DOT (which gives every other colour in hex).
// A small table: golang.org/x/image/colornames would cost every archform
// start its map's initialisation.
var svgColorNames = map[string]color.Color{
	"black":     color.Black,
	"white":     color.White,
	"red":       color.NRGBA{R: 0xff, A: 0xff},
	"green":     color.NRGBA{G: 0x80, A: 0xff},
	"blue":      color.NRGBA{B: 0xff, A: 0xff},
	"gray":      color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff},
	"grey":      color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff},
	"lightgray": color.NRGBA{R: 0xd3, G: 0xd3, B: 0xd3, A: 0xff},
	"lightgrey": color.NRGBA{R: 0xd3, G: 0xd3, B: 0xd3, A: 0xff},
}

// path reads SVG path data (M, L, H, V, C, S, Q, Z in either case) into the
// context's current path.
func (r *raster) path(d string, m matrix) {
	toks := pathTokens(d)
	var cmd byte
	var cx, cy, sx, sy, lcx, lcy float64 // current, subpath start, last control
	i := 0
	num := func() float64 {
		if i >= len(toks) {
			return 0
		}
		f, _ := strconv.ParseFloat(toks[i], 64)
		i++
		return f
	}
	isNum := func() bool { return i < len(toks) && !isPathCmd(toks[i]) }
	to := func(x, y float64) (float64, float64) { return r.device(m, x, y) }
	for i < len(toks) {
		if isPathCmd(toks[i]) {
			cmd = toks[i][0]
			i++
		} else if cmd == 0 {
			return
		}
		rel := cmd >= 'a'
		ox, oy := 0.0, 0.0
		if rel {
			ox, oy = cx, cy
		}
		switch cmd | 0x20 {
		case 'm':
			cx, cy = ox+num(), oy+num()
			sx, sy = cx, cy
			r.dc.MoveTo(to(cx, cy))
			lcx, lcy = cx, cy
			if rel {
				cmd = 'l'
			} else {
				cmd = 'L'
			}
		case 'l':
			cx, cy = ox+num(), oy+num()
			r.dc.LineTo(to(cx, cy))
			lcx, lcy = cx, cy
		case 'h':
			cx = ox + num()
			r.dc.LineTo(to(cx, cy))
			lcx, lcy = cx, cy
		case 'v':
			cy = oy + num()
			r.dc.LineTo(to(cx, cy))
			lcx, lcy = cx, cy
		case 'c', 's':
			// S reflects the last control point; C gives its own.
			x1, y1 := 2*cx-lcx, 2*cy-lcy
			if cmd|0x20 == 'c' {
				x1, y1 = ox+num(), oy+num()
			}
			x2, y2 := ox+num(), oy+num()
			x3, y3 := ox+num(), oy+num()
			ax, ay := to(x1, y1)
			bx, by := to(x2, y2)
			ex, ey := to(x3, y3)
			r.dc.CubicTo(ax, ay, bx, by, ex, ey)
			lcx, lcy, cx, cy = x2, y2, x3, y3
		case 'q':
			x1, y1 := ox+num(), oy+num()
			x2, y2 := ox+num(), oy+num()
			ax, ay := to(x1, y1)
			ex, ey := to(x2, y2)
			r.dc.QuadraticTo(ax, ay, ex, ey)
			lcx, lcy, cx, cy = x1, y1, x2, y2
		case 'z':
			r.dc.ClosePath()
			cx, cy = sx, sy
			lcx, lcy = cx, cy
			continue
		default:
			// An arc or unknown command: skip its numbers.
			for isNum() {
				i++
			}
			continue
		}
	}
}

func isPathCmd(t string) bool {
	return len(t) == 1 && strings.ContainsAny(t, "MmLlHhVvCcSsQqTtAaZz")
}

// pathTokens splits path data into commands and numbers.
func pathTokens(d string) []string {
	var toks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(d); i++ {
		ch := d[i]
		switch {
		case strings.IndexByte("MmLlHhVvCcSsQqTtAaZz", ch) >= 0:
			flush()
			toks = append(toks, string(ch))
		case ch == ',' || ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r':
			flush()
		case ch == '-' && cur.Len() > 0 && !strings.HasSuffix(cur.String(), "e") && !strings.HasSuffix(cur.String(), "E"):
			flush()
			cur.WriteByte(ch)
		default:
			cur.WriteByte(ch)
		}
	}
	flush()
	return toks
}

func (r *raster) paint(st style) {
	dc := r.dc
	if st.fill != nil {
		dc.SetColor(st.fill)
		dc.FillPreserve()
	}
	if st.stroke != nil && st.width > 0 {
		dc.SetColor(st.stroke)
		dc.SetLineWidth(st.width * r.scale * r.sx)
		if len(st.dash) > 0 {
			d := make([]float64, len(st.dash))
			for i, v := range st.dash {
				d[i] = v * r.scale * r.sx
			}
			dc.SetDash(d...)
		} else {
			dc.SetDash()
		}
		dc.SetLineJoinRound()
		dc.SetLineCapButt()
		dc.StrokePreserve()
	}
	dc.ClearPath()
}

func (r *raster) text(n *svgNode, st style, m matrix) {
	s := strings.TrimSpace(n.Text)
	if s == "" || st.fill == nil {
		return
	}
	x, y := r.device(m, attrNum(n, "x"), attrNum(n, "y"))
	px := st.fontSize * r.scale * r.sy
	face := fontFace(st.bold, st.italic, px)
	r.dc.SetFontFace(face)
	w, _ := r.dc.MeasureString(s)
	// Graphviz sized the boxes for Helvetica's metrics; the Go fonts run
	// wider. Shrink a text that would overflow the width Graphviz gave it.
	if want := helveticaWidth(s, st.bold) * px; w > want && want > 0 {
		face = fontFace(st.bold, st.italic, math.Floor(px*want/w*4)/4)
		r.dc.SetFontFace(face)
		w, _ = r.dc.MeasureString(s)
	}
	switch st.anchor {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	r.dc.SetColor(st.fill)
	r.dc.DrawString(s, x, y)
}

var (
	fontMu    sync.Mutex
	fonts     = map[string]*truetype.Font{}
	fontFaces = map[string]font.Face{}
)

// fontFace returns a Go font face of that style and pixel size. Graphviz
// lays text out with Helvetica-like metrics; the Go fonts are sans-serif of
// about that width.
func fontFace(bold, italic bool, px float64) font.Face {
	fontMu.Lock()
	defer fontMu.Unlock()
	name, data := "regular", goregular.TTF
	switch {
	case bold && italic:
		name, data = "bolditalic", gobolditalic.TTF
	case bold:
		name, data = "bold", gobold.TTF
	case italic:
		name, data = "italic", goitalic.TTF
	}
	key := name + "/" + strconv.FormatFloat(px, 'f', 2, 64)
	if f, ok := fontFaces[key]; ok {
		return f
	}
	ft := fonts[name]
	if ft == nil {
		var err error
		ft, err = truetype.Parse(data)
		if err != nil {
			// The fonts are embedded and known good; should one fail to
			// parse, text still shows in the fixed bitmap font.
			return basicfont.Face7x13
		}
		fonts[name] = ft
	}
	f := truetype.NewFace(ft, &truetype.Options{Size: px, DPI: 72, Hinting: font.HintingNone})
	fontFaces[key] = f
	return f
}

// helveticaAFM holds Helvetica's advance widths (per 1000 units of em) for
// ASCII 32–126, from Adobe's AFM, which Graphviz's text estimate uses too.
var helveticaAFM = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space–/
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0–9
	278, 278, 584, 584, 584, 556, 1015, // :–@
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A–M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N–Z
	278, 278, 278, 469, 556, 333, // [–`
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a–m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n–z
	334, 260, 334, 584, // {–~
}

// helveticaWidth is a text's width in Helvetica at 1 px (bold runs about 6%
// wider); characters past ASCII count as a digit's width, except a few
// common ones.
func helveticaWidth(s string, bold bool) float64 {
	units := 0
	for _, r := range s {
		switch {
		case r >= 32 && r <= 126:
			units += helveticaAFM[r-32]
		case r == '·':
			units += 278
		case r == '×':
			units += 584
		case r == '—', r == '…':
			units += 1000
		case r == '–':
			units += 556
		default:
			units += 556
		}
	}
	w := float64(units) / 1000
	if bold {
		w *= 1.06
	}
	return w
}
