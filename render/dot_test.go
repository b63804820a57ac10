package render

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"regexp"
	"strings"
	"testing"
)

func dotOf(t *testing.T, in Input, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := DOT(&b, in, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// stmtOf returns the DOT statement that declares node id (or an edge's
// statement when id is "a" -> "b").
func stmtOf(t *testing.T, dot, head string) string {
	t.Helper()
	for _, l := range strings.Split(dot, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), head+" [") {
			return l
		}
	}
	t.Fatalf("no statement %s in\n%s", head, dot)
	return ""
}

func TestDOTQuote(t *testing.T) {
	for in, want := range map[string]string{
		`service.api`:    `"service.api"`,
		`a "b" c`:        `"a \"b\" c"`,
		`back\slash`:     `"back\\slash"`,
		"two\nlines\r\n": `"two\nlines\n"`,
	} {
		if got := dotQuote(in); got != want {
			t.Errorf("dotQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestDOTMarksFindings(t *testing.T) {
	dot := dotOf(t, fixture(), Options{})
	orders := stmtOf(t, dot, `"database.orders"`)
	for _, want := range []string{`shape="cylinder"`, `color="` + colSPOF + `"`, `penwidth="3"`, "1 primary + 2 replicas", "2800 rps · 50% util", "findings: spof"} {
		if !strings.Contains(orders, want) {
			t.Errorf("orders (a spof) lacks %s: %s", want, orders)
		}
	}
	api := stmtOf(t, dot, `"service.api"`)
	// 83% against a 0.8 target is a warning, drawn as above target, not
	// as over capacity.
	for _, want := range []string{`fillcolor="` + colAboveTarget + `"`, "10000 rps · 83% util", "12 replicas", "zones a, b, c", "utilization = 10000 rps"} {
		if !strings.Contains(api, want) {
			t.Errorf("api (above target) lacks %s: %s", want, api)
		}
	}
	if !strings.Contains(dot, "above target (warning)") || strings.Contains(dot, "over capacity (error)") {
		t.Error("the legend must name above target and only the marks drawn")
	}
	in := fixture()
	in.Findings[1].Severity = analyze.Error
	if api := stmtOf(t, dotOf(t, in, Options{}), `"service.api"`); !strings.Contains(api, `fillcolor="`+colOverCapacity+`"`) {
		t.Errorf("api with capacity's error is not filled as over capacity: %s", api)
	}
	// The suppressed spof finding on the cache draws nothing.
	if s := stmtOf(t, dot, `"cache.sessions"`); strings.Contains(s, `color="`+colSPOF+`"`) || strings.Contains(s, "suppressed one") || strings.Contains(s, "spof") {
		t.Errorf("a suppressed finding was drawn: %s", s)
	}
	// The consistency finding inside the api → sessions call block is drawn on that edge.
	edge := stmtOf(t, dot, `"service.api" -> "cache.sessions"`)
	for _, want := range []string{`color="` + colConflict + `"`, "conflict: consistency", `style="dotted"`, "9000 rps"} {
		if !strings.Contains(edge, want) {
			t.Errorf("api → sessions lacks %s: %s", want, edge)
		}
	}
	origin := stmtOf(t, dot, `"cache.sessions" -> "database.orders"`)
	if !strings.Contains(origin, "misses 1800 rps") || !strings.Contains(origin, colConflict) {
		t.Errorf("origin edge: %s", origin)
	}
	for head, style := range map[string]string{
		`"service.api" -> "queue.events"`:      `style="dashed"`,
		`"service.api" -> "external.payments"`: `style="dotted", color="` + colSoft + `"`,
		`"service.api" -> "database.orders"`:   `style="solid", color="` + colInk + `"`,
		`"queue.events" -> "service.worker"`:   `style="bold"`,
	} {
		if s := stmtOf(t, dot, head); !strings.Contains(s, style) {
			t.Errorf("%s lacks %s: %s", head, style, s)
		}
	}
}

func TestDOTPlacement(t *testing.T) {
	dot := dotOf(t, fixture(), Options{})
	// worker runs in zone a alone: inside the zone cluster, inside the region.
	// api spreads over a, b, c: in the region, outside any zone.
	// sessions has no zones: at the top level.
	region := strings.Index(dot, `subgraph "cluster_region_r1"`)
	zone := strings.Index(dot, `subgraph "cluster_zone_a"`)
	worker := strings.Index(dot, `  "service.worker" [`)
	api := strings.Index(dot, `  "service.api" [`)
	sessions := strings.Index(dot, `  "cache.sessions" [`)
	if region < 0 || zone < region || worker < zone || api < worker || sessions < api {
		t.Fatalf("placement order wrong (region %d, zone %d, worker %d, api %d, sessions %d):\n%s", region, zone, worker, api, sessions, dot)
	}
	indent := func(i int) int { return i - strings.LastIndex(dot[:i], "\n") - 1 }
	if indent(worker) != 4 || indent(api) != 2 || indent(sessions) != 0 {
		t.Errorf("nesting depths worker %d, api %d, sessions %d; want 4, 2, 0 (+2)", indent(worker), indent(api), indent(sessions))
	}
	if strings.Contains(dot, "cluster_zone_b") {
		t.Error("zone b has no component of its own and must not be drawn")
	}
}

func TestDOTNoAnalysis(t *testing.T) {
	dot := dotOf(t, fixture(), Options{NoAnalysis: true})
	for _, bad := range []string{" rps", "util", "findings:", colSPOF, colAboveTarget, colOverCapacity, colAfterFailure, "conflict"} {
		if strings.Contains(dot, bad) {
			t.Errorf("--no-analysis output contains %q", bad)
		}
	}
	if !strings.Contains(dot, `"database.orders" [`) || !strings.Contains(dot, `shape="cylinder"`) {
		t.Error("bare design lost its nodes")
	}
}

func TestDOTFlow(t *testing.T) {
	dot := dotOf(t, fixture(), Options{Flow: "order"})
	if s := stmtOf(t, dot, `"service.api" -> "database.orders"`); !strings.Contains(s, colFlow) || !strings.Contains(s, `penwidth="2.5"`) {
		t.Errorf("order's write call not highlighted: %s", s)
	}
	if s := stmtOf(t, dot, `"service.api" -> "queue.events"`); !strings.Contains(s, colDim) {
		t.Errorf("async call off the path not dimmed: %s", s)
	}
	if s := stmtOf(t, dot, `"load_balancer.edge"`); !strings.Contains(s, `color="`+colFlow+`"`) {
		t.Errorf("edge LB on the path not blue: %s", s)
	}
	if s := stmtOf(t, dot, `"cache.sessions"`); !strings.Contains(s, colDim) {
		t.Errorf("cache is off the order flow: %s", s)
	}
	if !strings.Contains(dot, `digraph "shop — flow order"`) || !strings.Contains(dot, "path of flow order") {
		t.Error("title or legend does not name the flow")
	}
	var b bytes.Buffer
	err := DOT(&b, fixture(), Options{Flow: "nope"})
	if _, ok := err.(*FlowError); !ok || !strings.Contains(err.Error(), "browse, order") {
		t.Errorf("unknown flow: err = %v, want a FlowError listing the flows", err)
	}
	in := fixture()
	in.Results = nil
	if err := DOT(&b, in, Options{Flow: "order"}); err == nil {
		t.Error("--flow without results must fail")
	}
}

func TestDOTEscapesNames(t *testing.T) {
	dot := dotOf(t, fixture(), Options{})
	if !strings.Contains(dot, `<B>worker &#34;quoted&#34; &lt;b&gt;</B>`) {
		t.Errorf("HTML label not escaped:\n%s", stmtOf(t, dot, `"service.worker"`))
	}
}

func TestDOTDeterministic(t *testing.T) {
	first := dotOf(t, fixture(), Options{})
	for range 5 {
		if again := dotOf(t, fixture(), Options{}); again != first {
			t.Fatal("DOT differs between runs")
		}
	}
}

var mermaidLine = regexp.MustCompile(`^\s*(%%.*|flowchart TB|end|subgraph (region|zone)_\w+\["[^"]*"\]|\w+(\(\[|\{\{|\[/|\(|\[\[|\[\(|>|\[\\|\[)"[^"]*"(\]\)|\}\}|\\\]|\)|\]\]|\)\]|\]|/\]|\\\])|\w+ (-->|-\.->|==>)(\|"[^"]*"\|)? \w+|classDef \w+ [^ ]+( [^ ]+)?|class [\w,]+ \w+|linkStyle \d+ [^ ]+)$`)

func TestMermaidSyntax(t *testing.T) {
	for _, opts := range []Options{{}, {NoAnalysis: true}, {Flow: "browse"}} {
		var b bytes.Buffer
		if err := Mermaid(&b, fixture(), opts); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		depth, links := 0, 0
		for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if !mermaidLine.MatchString(l) {
				t.Errorf("line %d is not in the Mermaid subset we write: %q", i+1, l)
			}
			switch {
			case strings.HasPrefix(strings.TrimSpace(l), "subgraph "):
				depth++
			case strings.TrimSpace(l) == "end":
				depth--
			case strings.Contains(l, "->") || strings.Contains(l, "==>"):
				links++
			}
			if m := regexp.MustCompile(`^\s*linkStyle (\d+) `).FindStringSubmatch(l); m != nil {
				if n := atoi(m[1]); n >= links {
					t.Errorf("linkStyle %d refers past the %d links", n, links)
				}
			}
		}
		if depth != 0 {
			t.Errorf("unbalanced subgraphs: %d", depth)
		}
		for _, want := range []string{"database_orders[(", "service_worker(", "#quot;quoted#quot; #lt;b#gt;", "queue_events ==>"} {
			if !strings.Contains(out, want) {
				t.Errorf("mermaid lacks %q:\n%s", want, out)
			}
		}
		if opts.Flow != "" && !strings.Contains(out, "class ") {
			t.Error("flow classes missing")
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestMermaidIDsUnique(t *testing.T) {
	in := fixture()
	// Two addresses that sanitise alike.
	a, b := in.Design.Components[2], in.Design.Components[3]
	a.Addr, b.Addr = "service.a-b", "service.a_b"
	in.Design.Index()
	ids := mermaidIDs(in.Design)
	if ids["service.a-b"] == ids["service.a_b"] {
		t.Fatalf("collision: %v", ids)
	}
	if ids["service.a-b"] != "service_a_b" || ids["service.a_b"] != "service_a_b_2" {
		t.Errorf("ids = %v", ids)
	}
}

// TestMermaidZoneIDsUnique: issue 15 item 1. Zones a-1 and a.1 are two
// subgraphs, each holding its own component.
func TestMermaidZoneIDsUnique(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"z.arch.hcl": []byte(`system "s" {}
region "r" { zones = ["a-1", "a.1"] }
service "x" {
  image = "x:1"
  zones = ["a-1"]
}
service "y" {
  image = "y:1"
  zones = ["a.1"]
}
`)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var b bytes.Buffer
	if err := Mermaid(&b, Input{Design: d}, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, `subgraph zone_a_1["zone a-1"]`) || !strings.Contains(out, `subgraph zone_a_1_2["zone a.1"]`) {
		t.Errorf("zones a-1 and a.1 are not two subgraphs:\n%s", out)
	}
}

// TestDOTNoTraffic: a design where no client declares rps (as one imported
// from deployment files) is drawn without "0 rps" on every edge and node,
// and the legend says why; its findings are still drawn.
func TestDOTNoTraffic(t *testing.T) {
	in := fixture()
	in.Design.Component("client.web").RPS = 0
	in.Results.Nominal.Load = map[string]*analyze.Load{}
	dot := dotOf(t, in, Options{})
	if regexp.MustCompile(`(label="|>)[0-9.]+ rps`).MatchString(dot) {
		t.Errorf("a design without traffic is drawn with rates:\n%s", dot)
	}
	if !strings.Contains(dot, "no traffic drawn: no client declares rps") || !strings.Contains(dot, "findings: ") {
		t.Errorf("the legend does not say why no rates are drawn, or the findings are gone:\n%s", dot)
	}
	if with := dotOf(t, fixture(), Options{}); !strings.Contains(with, "10000 rps") {
		t.Error("the fixture with traffic is drawn without rates")
	}
}

// TestDrawnDescriptionBounded (issue 15 item 7): a description of any size
// costs the diagram a bounded part: the DOT of a design whose component has
// a 2 MB description is no larger than with a 4 KB one (both cut to
// maxDrawnDescription characters), so drawing grows with the design, not
// with its descriptions (a 2 MB description took 3.7 s to draw, a 4 MB one
// more than twice that). Multi-byte characters are cut whole.
func TestDrawnDescriptionBounded(t *testing.T) {
	size := func(desc string) int {
		src := fmt.Sprintf("system \"s\" {}\nservice \"api\" {\n  image = \"a:1\"\n  description = %q\n}\n", desc)
		d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, lang.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		dot := dotOf(t, Input{Design: d}, Options{NoAnalysis: true})
		if !utf8.ValidString(dot) {
			t.Fatal("a description cut inside a character")
		}
		return len(dot)
	}
	small, big := size(strings.Repeat("é ", 2<<10)), size(strings.Repeat("é ", 1<<20))
	if big != small {
		t.Errorf("the DOT grows with the description: %d bytes for 4 KB, %d for 2 MB", small, big)
	}
	if short := size("a short one"); short >= small {
		t.Errorf("a short description is cut too: %d bytes, a long one %d", short, small)
	}
}
