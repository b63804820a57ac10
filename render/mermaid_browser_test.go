package render

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMermaidRendersInBrowser parses and renders every Mermaid diagram we
// write (the golden examples and the fixture's variants) with Mermaid itself,
// in headless Chromium, as GitHub does. It needs Chromium and Mermaid's
// browser bundle: set ARCHFORM_MERMAID_JS to node_modules/mermaid/dist/mermaid.min.js
// (npm install mermaid@11).
func TestMermaidRendersInBrowser(t *testing.T) {
	chromium := requireTool(t, "chromium")
	// Mermaid is not a program on PATH but a JavaScript bundle CI installs
	// with npm and names here; without it the test skips (even under
	// ARCHFORM_REQUIRE_TOOLS=1); a path that is set but missing fails.
	js := os.Getenv("ARCHFORM_MERMAID_JS")
	if js == "" {
		t.Skip("ARCHFORM_MERMAID_JS not set: npm install mermaid@11 and point it at node_modules/mermaid/dist/mermaid.min.js")
	}
	if _, err := os.Stat(js); err != nil {
		t.Fatalf("ARCHFORM_MERMAID_JS: %v", err)
	}
	diagrams := map[string]string{}
	golden, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.mmd"))
	for _, p := range golden {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		diagrams[filepath.Base(p)] = string(data)
	}
	for name, opts := range map[string]Options{"fixture": {}, "fixture-flow": {Flow: "browse"}, "fixture-bare": {NoAnalysis: true}} {
		var b bytes.Buffer
		if err := Mermaid(&b, fixture(), opts); err != nil {
			t.Fatal(err)
		}
		diagrams[name] = b.String()
	}
	// A broken diagram proves the check can fail.
	diagrams["broken"] = "flowchart TB\n  a[\"x\"] -->|\"y\" b\n"
	list, _ := json.Marshal(diagrams)
	dir := t.TempDir()
	page := filepath.Join(dir, "check.html")
	html := `<!DOCTYPE html><html><body><pre id="out">pending</pre>
<script src="file://` + js + `"></script>
<script>
const diagrams = ` + string(list) + `;
mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
(async () => {
  const lines = [];
  let i = 0;
  for (const name of Object.keys(diagrams).sort()) {
    try { await mermaid.parse(diagrams[name]); const r = await mermaid.render("d" + (i++), diagrams[name]); lines.push("OK " + name + " " + r.svg.length); }
    catch (e) { lines.push("ERR " + name + ": " + String(e.message || e).split("\n").join(" ")); }
  }
  document.getElementById("out").textContent = "DONE\n" + lines.join("\n");
})();
</script></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--allow-file-access-from-files",
		"--virtual-time-budget=60000", "--dump-dom", "file://"+page)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	dom := string(out)
	if !strings.Contains(dom, "DONE") {
		t.Fatalf("the check page did not finish:\n%s", dom)
	}
	for name := range diagrams {
		ok := strings.Contains(dom, "OK "+name+" ")
		if name == "broken" {
			if ok {
				t.Error("Mermaid accepted the broken diagram: the check is not working")
			}
			continue
		}
		if !ok {
			line := dom[strings.Index(dom, "DONE"):]
			t.Errorf("Mermaid rejected %s:\n%s", name, line)
		}
	}
}
