package render

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/render/graphviz"
)

func reportOf(t *testing.T, in Input) string {
	t.Helper()
	var b bytes.Buffer
	if err := Report(context.Background(), &b, in, graphviz.SVG); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestReportSelfContained(t *testing.T) {
	in := fixture()
	page := reportOf(t, in)
	if again := reportOf(t, in); again != page {
		t.Fatal("report differs run to run")
	}
	// Nothing is fetched at view time: no scripts, stylesheets, images or
	// frames from elsewhere; the only URLs are XML namespace names. One
	// inline script zooms and pans the diagram.
	if strings.Count(page, "<script") != 1 || !strings.Contains(page, "<script>\n") {
		t.Error("the report must hold exactly one inline script")
	}
	for _, bad := range []string{"<script src", "<link", "<img", "<iframe", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
	for _, u := range regexp.MustCompile(`https?://[^"' )]+`).FindAllString(page, -1) {
		if u != "http://www.w3.org/2000/svg" && u != "http://www.w3.org/1999/xlink" {
			t.Errorf("report refers to %s", u)
		}
	}
	if strings.Contains(page, "<?xml") || strings.Contains(page, "<!DOCTYPE svg") {
		t.Error("the SVG's prolog was not stripped")
	}
	// One row per unsuppressed finding; the suppressed one listed apart.
	if n := strings.Count(page, `<tr class="finding"`); n != 4 {
		t.Errorf("%d finding rows, want 4", n)
	}
	if !strings.Contains(page, "<h3>Suppressed</h3>") || !strings.Contains(page, "suppressed one") {
		t.Error("suppressed finding not listed")
	}
	// Findings link to their nodes, and the nodes carry those ids.
	for _, addr := range []string{"database.orders", "service.api", "cache.sessions"} {
		if !strings.Contains(page, `href="#`+addr+`"`) {
			t.Errorf("no link to %s", addr)
		}
		if !strings.Contains(page, `<g id="`+addr+`" class="node">`) {
			t.Errorf("diagram has no node with id %s", addr)
		}
	}
	// And back: the first finding of each component is the target of its
	// node (the script) and of the components table.
	for _, addr := range []string{"database.orders", "service.api"} {
		if !strings.Contains(page, `<tr class="finding" id="findings-`+addr+`">`) || !strings.Contains(page, `href="#findings-`+addr+`"`) {
			t.Errorf("no way back from %s to its findings", addr)
		}
	}
	// Flows against their objectives.
	for _, want := range []string{
		// browse misses 0.9995: as nines, and as downtime a month
		`<td class="num bad">99.88%<br><span class="muted">52 min/month down</span></td><td class="num">99.950%<br><span class="muted">22 min/month down</span></td>`,
		`<td class="num ok">90.00 ms</td><td class="num">200.00 ms</td>`,
		`<td class="num warn">83%</td>`, // api above max_utilization 0.8
		// eight nines are not 100%
		`<td class="num">99.9999990% (1-of-2)<br><span class="muted">0.026 s/month down</span></td>`,
		// each flow's reads and writes, not its client's total
		`<td>browse</td><td>client.web</td><td>read</td><td class="num">9000</td><td class="num">0</td>`,
		`<td>order</td><td>client.web</td><td>write</td><td class="num">0</td><td class="num">1000</td>`,
		"<pre class=\"tree\">client.web\n└─ load_balancer.edge\n   └─ service.api\n      └─ cache.sessions\n         └─ database.orders (replicas)</pre>",
		// the summary, by problem class, and a grouped finding's line
		`<li><span class="sev-error">error</span> 2 consistency findings: flow.browse, cache.sessions <span class="muted">(consistency)</span></li>`,
		`<li><span class="sev-error">error</span> 1 single point of failure: database.orders <span class="muted">(spof)</span></li>`,
		"<li>Also: a folded note (no-capacity, fixture.arch.hcl:1:1)</li>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	// Names are escaped.
	if strings.Contains(page, `worker "quoted" <b>`) {
		t.Error("a component name went into the page unescaped")
	}
}

// A flow's path is its call tree: each tier under the one whose call
// reaches it first, siblings on branches.
func TestFlowTree(t *testing.T) {
	comp := func(addr string) *lang.Component { return &lang.Component{Addr: addr} }
	web, lb, api, cache, db, pay := comp("client.web"), comp("load_balancer.edge"), comp("service.api"), comp("cache.sessions"), comp("database.orders"), comp("external.payments")
	hops := []*analyze.Hop{
		{Component: web}, {Component: lb, From: web}, {Component: api, From: lb},
		{Component: cache, From: api, Soft: true},
		{Component: db, From: api, Role: lang.RolePrimary},
		{Component: pay, From: api, Soft: true, Required: true},
		{Component: db, From: cache, Role: lang.RoleReplica},
	}
	want := `client.web
└─ load_balancer.edge
   └─ service.api
      ├─ cache.sessions (optional)
      │  └─ database.orders (replicas)
      ├─ database.orders (primary)
      └─ external.payments`
	if got := flowTree(&analyze.FlowResult{Hops: hops}); got != want {
		t.Errorf("flowTree:\n%s\nwant:\n%s", got, want)
	}
}

// TestReportInChromium opens the report in a real headless Chromium: the
// page loads without a console error, its DOM has the diagram and the
// findings table, and its screenshot is not blank.
func TestReportInChromium(t *testing.T) {
	chromium := requireTool(t, "chromium")
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(reportOf(t, fixture())), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0",
			"--user-data-dir=" + filepath.Join(dir, "profile"), "--window-size=1280,2000"}
		cmd := exec.CommandContext(ctx, chromium, append(append(base, args...), "file://"+page)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	dom, logs := run("--dump-dom")
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, ":CONSOLE") || strings.Contains(l, "net::ERR") {
			t.Errorf("page error: %s", l)
		}
	}
	for _, want := range []string{`<svg`, `id="findings-table"`, `<g id="database.orders" class="node" data-findings="">`, `<tr class="finding"`, `id="flow-browse"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the loaded page's DOM lacks %s", want)
		}
	}
	shot := filepath.Join(dir, "shot.png")
	run("--screenshot=" + shot)
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The diagram's yellow (the api above its utilization target) and red
	// (the spof's border) show on screen.
	var yellow, red int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			switch {
			case r > 240 && g > 210 && g < 235 && bl > 110 && bl < 150:
				yellow++
			case r > 190 && g < 70 && bl < 70:
				red++
			}
		}
	}
	if yellow < 50 || red < 20 {
		t.Errorf("screenshot shows %d yellow and %d red samples; the diagram did not render", yellow, red)
	}
	if os.Getenv("ARCHFORM_KEEP_SCREENSHOT") != "" {
		os.WriteFile(os.Getenv("ARCHFORM_KEEP_SCREENSHOT"), data, 0o644)
	}
}

// The report lists findings most severe first, and counts them in words
// with the right plural: the fixture's one warning comes after its errors.
func TestReportSeverityOrder(t *testing.T) {
	page := reportOf(t, fixture())
	_, page, _ = strings.Cut(page, `id="findings-table"`)
	page, _, _ = strings.Cut(page, "</table>")
	warn := strings.Index(page, "utilization = 10000 rps / (12 × 1000 rps) = 0.833 &gt; 0.8")
	errRow := strings.LastIndex(page, "reads of async replicas")
	if warn < 0 || errRow < 0 || warn < errRow {
		t.Errorf("the warning (at %d) is not listed after the errors (last at %d)", warn, errRow)
	}
	if whole := reportOf(t, fixture()); !strings.Contains(whole, ">1 warning<") || strings.Contains(whole, "1 warnings") || strings.Contains(whole, "infos") {
		t.Error(`the summary does not say "1 warning", or says "infos"`)
	}
	if strings.Contains(reportOf(t, fixture()), "100.0000%") {
		t.Error("an availability reads 100.0000%")
	}
}
