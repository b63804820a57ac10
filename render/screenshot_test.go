package render

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/importer"
	"github.com/archform/archform/internal/sharedfiles"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
)

// screenshotDesigns are the designs the picture tests look at: the shop, a
// two-region design (video: a standby region) and a ~30-service system
// imported from a real Compose project (eshopOnContainers, read in place
// from the corpus sharedfiles finds; skipped without it, failed under CI).
func screenshotDesigns(t *testing.T) map[string]Input {
	t.Helper()
	out := map[string]Input{}
	for _, ex := range examples(t) {
		if ex.name == "shop" || ex.name == "video" {
			out[ex.name] = ex.in
		}
	}
	src := sharedfiles.Find("corpus", "systems", "eshoponcontainers", "src")
	if src == "" {
		if sharedfiles.Required() {
			t.Fatal("the corpus of real systems is missing and CI is set")
		}
		t.Log("skipping the imported eshopOnContainers: the corpus of real systems is not beside the repository")
		return out
	}
	res, err := importer.Compose([]string{filepath.Join(src, "docker-compose.yml"), filepath.Join(src, "docker-compose.override.yml")})
	if err != nil {
		t.Fatal(err)
	}
	d, diags := lang.LoadFiles(map[string][]byte{res.FileName: res.Source}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	rep, err := analyze.Run(d, rules.All, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := rep.Results()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Components) < 25 {
		t.Fatalf("eshopOnContainers imported as %d components, want about 30", len(d.Components))
	}
	out["eshop"] = Input{Design: d, Results: r, Findings: rep.Findings}
	return out
}

// TestGeometryScreenshotDesigns runs the SVG geometry checks (checkGeometry)
// on the imported system too; the examples have theirs.
func TestGeometryScreenshotDesigns(t *testing.T) {
	designs := screenshotDesigns(t)
	in, ok := designs["eshop"]
	if !ok {
		t.Skip("no imported system (see the log)")
	}
	checkGeometry(t, in, Options{}, svgOf(t, in, Options{}))
}

// browserCheck measures the report as Chromium lays it out, at 100% zoom:
// every visible text's size in pixels, the node boxes (their outlines) and
// the region frames' boxes. It writes its findings into the page, which
// --dump-dom prints.
const browserCheck = `<script>
(function () {
  var out = { small: [], overlap: [], frames: [], nodes: 0, texts: 0 };
  var members = JSON.parse(document.getElementById("expected-members").textContent);
  document.querySelectorAll("body *").forEach(function (el) {
    var text = false;
    el.childNodes.forEach(function (n) { if (n.nodeType === 3 && n.textContent.trim()) text = true; });
    if (!text || !el.getClientRects().length || el.closest("script,style,title")) return;
    var px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) { var m = el.getScreenCTM(); px *= Math.hypot(m.a, m.b); }
    out.texts++;
    if (px < 9) out.small.push(el.tagName + " " + JSON.stringify(el.textContent.trim().slice(0, 40)) + " " + px.toFixed(1) + "px");
  });
  function shape(g) {
    var r = null;
    g.querySelectorAll("path,polygon,ellipse").forEach(function (s) {
      if (s.closest("g.edge")) return;
      var b = s.getBoundingClientRect();
      if (!b.width || !b.height) return;
      r = r ? { l: Math.min(r.l, b.left), t: Math.min(r.t, b.top), r: Math.max(r.r, b.right), b: Math.max(r.b, b.bottom) } : { l: b.left, t: b.top, r: b.right, b: b.bottom };
    });
    return r;
  }
  var boxes = [];
  document.querySelectorAll("#viewport g.node").forEach(function (g) { var b = shape(g); if (b) boxes.push([g.id, b]); });
  out.nodes = boxes.length;
  for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
    var a = boxes[i][1], b = boxes[j][1];
    var w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
    if (w > 1 && h > 1) out.overlap.push(boxes[i][0] + " / " + boxes[j][0]);
  }
  var byId = {};
  boxes.forEach(function (x) { byId[x[0]] = x[1]; });
  Object.keys(members).forEach(function (frame) {
    var g = document.getElementById(frame), f = g && shape(g);
    if (!f) { out.frames.push(frame + ": no frame"); return; }
    members[frame].forEach(function (id) {
      var b = byId[id];
      if (!b || b.l < f.l - 1 || b.t < f.t - 1 || b.r > f.r + 1 || b.b > f.b + 1) out.frames.push(frame + " does not contain " + id);
    });
  });
  var pre = document.createElement("pre");
  pre.id = "browser-check";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
`

// TestReportScreenshots opens each screenshot design's report in headless
// Chromium and checks, from the boxes the browser lays out at 100% zoom:
// every text is at least 9 px, no two node boxes overlap, each region frame
// contains its components' boxes. It is slow (a browser start per design):
// it runs under CI or ARCHFORM_LONG=1. ARCHFORM_KEEP_SCREENSHOTS=DIR keeps
// a screenshot of each page.
func TestReportScreenshots(t *testing.T) {
	if os.Getenv("CI") == "" && os.Getenv("ARCHFORM_LONG") != "1" {
		t.Skip("slow browser test: runs under CI or with ARCHFORM_LONG=1")
	}
	chromium := requireTool(t, "chromium")
	dir := t.TempDir()
	for name, in := range screenshotDesigns(t) {
		t.Run(name, func(t *testing.T) {
			v, err := newView(in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			pl := v.placements()
			members := map[string][]string{}
			for _, r := range v.d.Regions {
				ids := addrs(pl.byRegion[r])
				for _, z := range r.Zones {
					ids = append(ids, addrs(pl.byZone[z])...)
				}
				if len(ids) > 0 {
					members["region."+r.Name] = ids
				}
			}
			expected, _ := json.Marshal(members)
			page := reportOf(t, in)
			page = strings.Replace(page, "</body>", `<script type="application/json" id="expected-members">`+string(expected)+"</script>\n"+browserCheck+"</body>", 1)
			file := filepath.Join(dir, name+".html")
			if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
				t.Fatal(err)
			}
			run := func(args ...string) string {
				ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
				defer cancel()
				base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
					"--user-data-dir=" + filepath.Join(dir, "profile-"+name), "--window-size=1400,1000"}
				cmd := exec.CommandContext(ctx, chromium, append(append(base, args...), "file://"+file)...)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
				}
				return stdout.String()
			}
			dom := run("--dump-dom")
			m := regexp.MustCompile(`<pre id="browser-check">([^<]*)</pre>`).FindStringSubmatch(dom)
			if m == nil {
				t.Fatal("the check script wrote nothing: the page did not run it")
			}
			var got struct {
				Small, Overlap, Frames []string
				Nodes, Texts           int
			}
			if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
				t.Fatal(err)
			}
			if got.Nodes < len(in.Design.Components) || got.Texts < got.Nodes {
				t.Errorf("the browser laid out %d node boxes and %d texts for %d components", got.Nodes, got.Texts, len(in.Design.Components))
			}
			for _, s := range got.Small {
				t.Errorf("text under 9 px at 100%%: %s", s)
			}
			for _, s := range got.Overlap {
				t.Errorf("node boxes overlap: %s", s)
			}
			for _, s := range got.Frames {
				t.Errorf("frame: %s", s)
			}
			if keep := os.Getenv("ARCHFORM_KEEP_SCREENSHOTS"); keep != "" {
				run("--screenshot=" + filepath.Join(keep, name+".png"))
			}
		})
	}
}
