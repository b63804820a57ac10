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
		`<td class="num bad">99.8793%</td><td class="num">99.9500%</td>`, // browse misses 0.9995
		`<td class="num ok">90.00 ms</td><td class="num">200.00 ms</td>`,
		`<td class="num warn">83%</td>`, // api above max_utilization 0.8
		"client.web → load_balancer.edge → service.api → cache.sessions → database.orders",
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

func TestFmtAvail(t *testing.T) {
	for a, want := range map[float64]string{0.999293: "99.9293%", 0.9995: "99.9500%", 0.99: "99.0000%", 0.5: "50.0000%", 1: "100.0000%"} {
		if got := fmtAvail(a); got != want {
			t.Errorf("fmtAvail(%g) = %s, want %s", a, got, want)
		}
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
	if whole := reportOf(t, fixture()); !strings.Contains(whole, ">1 warning<") || strings.Contains(whole, "1 warnings") {
		t.Error(`the summary does not say "1 warning"`)
	}
}
