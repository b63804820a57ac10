package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/render/graphviz"
	"golang.org/x/net/html"
)

// hostileStrings break out of every syntax a diagram writes strings into:
// DOT (quotes, braces, HTML-like labels), XML and HTML (tags, entities,
// CDATA, comments, scripts, event handlers), Mermaid, shell and control
// characters.
var hostileStrings = []string{
	`"]; evil [label="x"]; a -> b [label="`,
	`<b>bold</b><script>alert(1)</script><img src=x onerror=alert(1)>`,
	`]]><!-- --><![CDATA[x]]></svg><svg onload=alert(1)>`,
	"line\nbreak\r\n\t\\\" \\l \\n \\N {} %{x} $HOME &amp; &#60; &lt;",
	"-->|x| evil[(db)] ; classDef x fill:red; click a call alert(1)",
	"\u202eevil\u200b\ufeff é 漢字 🙂 \u0085",
	`'"><a href="javascript:alert(1)">x</a>`,
	strings.Repeat(`\"<&>`, 400),
}

// hclString writes s as an HCL quoted string: escapes for quotes,
// backslashes and control characters, and $${ and %%{ so that s is not a
// template.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// hostileDesign puts s in every free-text field a diagram or the report
// shows: the system's name (system) and description, components'
// descriptions, labels and images, a flow's description.
func hostileDesign(system, s string) string {
	q := hclString(s)
	return fmt.Sprintf(`system %[2]s {
  description = %[1]s
}
client "web" {
  rps         = 100
  description = %[1]s
  call {
    to = service.api
  }
}
service "api" {
  image        = %[1]s
  description  = %[1]s
  labels       = { note = %[1]s }
  capacity_rps = 1000
  call {
    to = database.db
  }
}
database "db" {
  engine      = "postgres"
  description = %[1]s
}
flow "f" {
  entry       = client.web
  description = %[1]s
}
`, q, hclString(system))
}

// FuzzDrawHostile draws a design whose every free-text field holds the
// fuzzed string as DOT, SVG and the HTML report, parses each output (DOT with
// Graphviz's own parser, SVG with encoding/xml, HTML with x/net/html) and
// compares its structure with that of the same design with a plain string
// in those fields: the same nodes and edges, the same elements, the same
// attribute names on them, no script or event handler more. go test runs the
// first three hostile strings (each lays out twice); under CI or with
// ARCHFORM_LONG=1, all of them.
func FuzzDrawHostile(f *testing.F) {
	seeds := hostileStrings
	if os.Getenv("CI") == "" && os.Getenv("ARCHFORM_LONG") != "1" {
		seeds = seeds[:3]
	}
	for _, s := range seeds {
		f.Add(s)
	}
	ctx := context.Background()
	type drawn struct{ dot, svg, report []byte }
	draw := func(t testing.TB, s string) (drawn, bool) {
		d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(hostileDesign(s, s))}, lang.Options{})
		if diags.HasErrors() {
			// A system name lang refuses (control characters): the
			// string goes to every other field.
			d, diags = lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(hostileDesign("s", s))}, lang.Options{})
		}
		if diags.HasErrors() {
			return drawn{}, false // a fuzzed string lang refuses anywhere: nothing is drawn
		}
		res, err := analyze.ComputeSafe(d)
		if err != nil {
			t.Fatal(err)
		}
		in := Input{Design: d, Results: res}
		var dot, svg, report bytes.Buffer
		if err := Draw(ctx, &dot, FormatDOT, in, Options{NoAnalysis: true}, nil); err != nil {
			t.Fatal(err)
		}
		if err := Draw(ctx, &svg, FormatSVG, in, Options{NoAnalysis: true}, graphviz.SVG); err != nil {
			t.Fatal(err)
		}
		if err := Report(ctx, &report, in, graphviz.SVG); err != nil {
			t.Fatal(err)
		}
		return drawn{dot.Bytes(), svg.Bytes(), report.Bytes()}, true
	}
	plain, ok := draw(f, "plain")
	if !ok {
		f.Fatal("the plain design does not load")
	}
	wantNodes, wantEdges := dotStructure(f, plain.dot)
	wantSVG := xmlStructure(f, plain.svg)
	wantHTML := htmlStructure(f, plain.report)
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := draw(t, s)
		if !ok {
			return
		}
		nodes, edges := dotStructure(t, got.dot)
		if !slices.Equal(nodes, wantNodes) || edges != wantEdges {
			t.Errorf("DOT: nodes %v and %d edges, want %v and %d", nodes, edges, wantNodes, wantEdges)
		}
		if g := xmlStructure(t, got.svg); g != wantSVG {
			t.Errorf("SVG structure differs from the plain design's:\n%s", diffLines(wantSVG, g))
		}
		if g := htmlStructure(t, got.report); g != wantHTML {
			t.Errorf("report structure differs from the plain design's:\n%s", diffLines(wantHTML, g))
		}
	})
}

func dotStructure(t testing.TB, dot []byte) ([]string, int) {
	t.Helper()
	nodes, edges, err := graphviz.Structure(context.Background(), dot)
	if err != nil {
		t.Fatalf("Graphviz does not read the DOT: %v", err)
	}
	sort.Strings(nodes)
	return nodes, edges
}

// xmlStructure is every element of an XML document, one line each: its
// depth, name and sorted attribute names (not their values, which hold the
// strings).
func xmlStructure(t testing.TB, doc []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	var b strings.Builder
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			var names []string
			for _, a := range e.Attr {
				names = append(names, a.Name.Local)
			}
			sort.Strings(names)
			fmt.Fprintf(&b, "%d %s %v\n", depth, e.Name.Local, names)
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String()
}

// htmlStructure is xmlStructure for HTML, parsed as a browser does.
func htmlStructure(t testing.TB, doc []byte) string {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if n.Type == html.ElementNode {
			var names []string
			for _, a := range n.Attr {
				names = append(names, a.Key)
			}
			sort.Strings(names)
			fmt.Fprintf(&b, "%d %s %v\n", depth, n.Data, names)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return b.String()
}

// diffLines lists the lines of want and got that differ, first ten.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 10; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, fmt.Sprintf("line %d: want %q, got %q", i+1, a, b))
		}
	}
	return strings.Join(out, "\n")
}
