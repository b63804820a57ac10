package drift

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/emit"
	"github.com/archform/archform/lang"
)

func load(t *testing.T, dir string) *lang.Design {
	t.Helper()
	d, diags := lang.Load(dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("%s: %s", dir, diags.Error())
	}
	return d
}

// emitTo writes the design's emitted files of a target into a temp dir and
// returns the paths drift reads (compose.yaml, or the directory).
func emitTo(t *testing.T, d *lang.Design, target string) (string, []string) {
	t.Helper()
	var res *emit.Result
	var err error
	if target == emit.TargetCompose {
		res, err = emit.Compose(d, emit.Options{})
	} else {
		res, err = emit.Kubernetes(d, emit.Options{})
	}
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range res.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if target == emit.TargetCompose {
		return dir, []string{filepath.Join(dir, "compose.yaml")}
	}
	return dir, []string{dir}
}

func scan(t *testing.T, target string, paths []string) *Deployment {
	t.Helper()
	var dep *Deployment
	var err error
	if target == emit.TargetCompose {
		dep, err = ScanCompose(paths)
	} else {
		dep, err = ScanKubernetes(paths)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dep
}

// Every example's own emitted Compose and Kubernetes output shows no drift.
func TestEmittedOutputHasNoDrift(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "*"))
	n := 0
	for _, dir := range dirs {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue
		}
		if files, _ := lang.DesignFiles(dir); len(files) == 0 {
			continue
		}
		d := load(t, dir)
		for _, target := range []string{emit.TargetCompose, emit.TargetKubernetes} {
			_, paths := emitTo(t, d, target)
			fs, err := Check(d, target, scan(t, target, paths))
			if err != nil {
				t.Fatalf("%s %s: %v", dir, target, err)
			}
			for _, f := range fs {
				t.Errorf("%s %s: unexpected drift: [%s] %s", dir, target, f.Rule, f.Message)
			}
			n++
		}
	}
	if n < 10 {
		t.Fatalf("checked %d example outputs, want every example (>= 10)", n)
	}
}

func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func find(fs []analyze.Finding, rule string) *analyze.Finding {
	for i := range fs {
		if fs[i].Rule == rule {
			return &fs[i]
		}
	}
	return nil
}

// lineOf is the 1-based line of the first occurrence of s in the file.
func lineOf(t *testing.T, path, s string) int {
	t.Helper()
	b, _ := os.ReadFile(path)
	i := strings.Index(string(b), s)
	if i < 0 {
		t.Fatalf("%s has no %q", path, s)
	}
	if strings.HasPrefix(s, "\n") {
		i++ // the line after the newline
	}
	return strings.Count(string(b[:i]), "\n") + 1
}

// Each edit of a Kubernetes output is found, pointing at the design's
// attribute and at the manifest's line.
func TestKubernetesEdits(t *testing.T) {
	d := load(t, filepath.Join("..", "testdata", "shop"))
	cases := []struct {
		file, old, new, rule, designAttr, manifestText string
	}{
		{"deployment-api.yaml", "replicas: 12", "replicas: 3", Replicas.ID, "replicas", "replicas: 3"},
		{"deployment-api.yaml", "image: ghcr.io/example/shop-api:1.0.0", "image: ghcr.io/example/shop-api:0.9.0", Image.ID, "image", "image: ghcr.io/example/shop-api:0.9.0"},
		{"statefulset-orders.yaml", "image: postgres:", "image: mysql:", Image.ID, "engine", "image: mysql:"},
		{"deployment-api.yaml", "topologyKey: topology.kubernetes.io/zone", "topologyKey: kubernetes.io/hostname", Zones.ID, "zones", "\n  name: api"},
		{"networkpolicy-orders.yaml", "app.kubernetes.io/name: api\n          app.kubernetes.io/part-of: shop", "app.kubernetes.io/name: sessions\n          app.kubernetes.io/part-of: shop", CallMissing.ID, "", ""},
	}
	for _, c := range cases {
		t.Run(c.rule+"/"+c.file, func(t *testing.T) {
			dir, paths := emitTo(t, d, emit.TargetKubernetes)
			path := filepath.Join(dir, c.file)
			editFile(t, path, c.old, c.new)
			fs, err := Check(d, emit.TargetKubernetes, scan(t, emit.TargetKubernetes, paths))
			if err != nil {
				t.Fatal(err)
			}
			f := find(fs, c.rule)
			if f == nil {
				t.Fatalf("no %s finding; got %+v", c.rule, fs)
			}
			if !strings.HasSuffix(f.Range.Filename, "shop.arch.hcl") {
				t.Errorf("finding points at %s, want the design", f.Range.Filename)
			}
			if c.designAttr != "" {
				comp := d.Component(f.Subject)
				if comp == nil || f.Range != comp.Range(c.designAttr) {
					t.Errorf("finding range %v, want %s's %s", f.Range, f.Subject, c.designAttr)
				}
			}
			if len(f.Related) == 0 || f.Related[0].Range.Filename == "" {
				t.Fatalf("no manifest location: %+v", f.Related)
			}
			if c.manifestText != "" {
				if got, want := f.Related[0].Range.Start.Line, lineOf(t, path, c.manifestText); got != want || f.Related[0].Range.Filename != path {
					t.Errorf("manifest location %s:%d, want %s:%d", f.Related[0].Range.Filename, got, path, want)
				}
			}
		})
	}
}

func TestKubernetesUndeclaredAndMissing(t *testing.T) {
	d := load(t, filepath.Join("..", "testdata", "shop"))
	dir, paths := emitTo(t, d, emit.TargetKubernetes)
	if err := os.Rename(filepath.Join(dir, "deployment-sessions.yaml"), filepath.Join(dir, "deployment-debug.yaml")); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(dir, "deployment-debug.yaml"), "  name: sessions\n", "  name: debug\n")
	fs, err := Check(d, emit.TargetKubernetes, scan(t, emit.TargetKubernetes, paths))
	if err != nil {
		t.Fatal(err)
	}
	m := find(fs, Missing.ID)
	if m == nil || m.Subject != "cache.sessions" {
		t.Errorf("missing: %+v", fs)
	}
	u := find(fs, Undeclared.ID)
	if u == nil || !strings.HasSuffix(u.Range.Filename, "deployment-debug.yaml") || !strings.Contains(u.Message, `"debug"`) {
		t.Errorf("undeclared: %+v", u)
	}
}

func TestComposeEdits(t *testing.T) {
	d := load(t, filepath.Join("..", "testdata", "shop"))
	cases := []struct{ old, new, rule string }{
		{"replicas: 12", "replicas: 2", Replicas.ID},
		{"image: redis:", "image: valkey/valkey:", Image.ID},
		{"    depends_on:\n      orders:\n        condition: service_healthy\n        required: true\n", "", CallMissing.ID},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			_, paths := emitTo(t, d, emit.TargetCompose)
			editFile(t, paths[0], c.old, c.new)
			fs, err := Check(d, emit.TargetCompose, scan(t, emit.TargetCompose, paths))
			if err != nil {
				t.Fatal(err)
			}
			f := find(fs, c.rule)
			if f == nil {
				t.Fatalf("no %s finding; got %+v", c.rule, fs)
			}
			if len(f.Related) == 0 || f.Related[0].Range.Filename != paths[0] || f.Related[0].Range.Start.Line == 0 {
				t.Errorf("no compose location: %+v", f.Related)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "compose.yaml")
	os.WriteFile(bad, []byte("services:\n  a: [\n"), 0o644)
	if _, err := ScanCompose([]string{bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad YAML: %v", err)
	}
	deep := filepath.Join(dir, "deep.yaml")
	os.WriteFile(deep, []byte("x: "+strings.Repeat("[", 5000)), 0o644)
	if _, err := ScanKubernetes([]string{deep}); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("deep YAML: %v", err)
	}
	if _, err := ScanCompose([]string{filepath.Join(dir, "none.yaml")}); err == nil {
		t.Error("missing file: no error")
	}
}

func TestRulesDocumented(t *testing.T) {
	for _, r := range Rules {
		if !strings.HasPrefix(r.Doc, "# "+r.ID+"\n") || r.Summary == "" {
			t.Errorf("%s: doc or summary missing", r.ID)
		}
		if r.Problem.One == "" || r.Problem.Many == "" {
			t.Errorf("%s: Problem (the noun for one finding and for several) missing", r.ID)
		}
	}
}

// messages runs one edit of each kind on emitted outputs and returns the
// messages of the findings, by rule.
func messages(t *testing.T) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	add := func(fs []analyze.Finding) {
		for _, f := range fs {
			if out[f.Rule] == nil {
				out[f.Rule] = map[string]bool{}
			}
			out[f.Rule][f.Message] = true
		}
	}
	run := func(design, target string, edit func(dir string, paths []string)) {
		d := load(t, filepath.Join("..", "testdata", design))
		dir, paths := emitTo(t, d, target)
		edit(dir, paths)
		fs, err := Check(d, target, scan(t, target, paths))
		if err != nil {
			t.Fatal(err)
		}
		add(fs)
	}
	run("shop", emit.TargetKubernetes, func(dir string, _ []string) {
		editFile(t, filepath.Join(dir, "deployment-api.yaml"), "replicas: 12", "replicas: 3")
		editFile(t, filepath.Join(dir, "deployment-api.yaml"), "topologyKey: topology.kubernetes.io/zone", "topologyKey: kubernetes.io/hostname")
		editFile(t, filepath.Join(dir, "statefulset-orders.yaml"), "image: postgres:17.6", "image: mysql:8.4")
		editFile(t, filepath.Join(dir, "networkpolicy-orders.yaml"), "app.kubernetes.io/name: api\n", "app.kubernetes.io/name: sessions\n")
		os.Rename(filepath.Join(dir, "deployment-sessions.yaml"), filepath.Join(dir, "deployment-debug-shell.yaml"))
		replaceAll(t, filepath.Join(dir, "deployment-debug-shell.yaml"), "sessions", "debug-shell")
	})
	run("chat", emit.TargetKubernetes, func(dir string, paths []string) {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, m := range matches {
			b, _ := os.ReadFile(m)
			if strings.Contains(string(b), "cpu: \"8\"") {
				replaceAll(t, m, "cpu: \"8\"", "cpu: \"4\"")
				return
			}
		}
		t.Fatal("chat's manifests have no cpu: \"8\"")
	})
	return out
}

// Each rule's documented example message is one drift produces.
func TestDocExamples(t *testing.T) {
	got := messages(t)
	for _, r := range Rules {
		_, rest, ok := strings.Cut(r.Doc, "```message\n")
		if !ok {
			t.Errorf("%s: no ```message example in its doc", r.ID)
			continue
		}
		msg, _, _ := strings.Cut(rest, "\n```")
		if !got[r.ID][msg] {
			t.Errorf("%s: the doc's example %q is not among the messages drift produces:\n%v", r.ID, msg, got[r.ID])
		}
	}
}

func replaceAll(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q (%v)", path, old, err)
	}
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(b), old, new)), 0o644); err != nil {
		t.Fatal(err)
	}
}
