package emit

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// examples returns every example design directory under the repository's
// testdata (each directory holding *.arch.hcl files).
func examples(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	own, _ := filepath.Glob("testdata/designs/*")
	dirs = append(dirs, own...)
	var out []string
	for _, d := range dirs {
		if files, _ := filepath.Glob(filepath.Join(d, "*.arch.hcl")); len(files) > 0 {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		t.Fatal("no example designs under ../testdata")
	}
	return out
}

func load(t *testing.T, dir string) *lang.Design {
	t.Helper()
	d, diags := lang.Load(dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("load %s: %s", dir, diags.Error())
	}
	return d
}

// emitters are the targets under test, with the golden directory of each.
var emitters = []struct {
	target string
	run    func(*lang.Design, Options) (*Result, error)
}{
	{TargetCompose, Compose},
	{TargetKubernetes, Kubernetes},
}

// TestGolden emits every example to every target and compares the files and
// findings with testdata/golden/EXAMPLE/TARGET (rewritten with -update).
func TestGolden(t *testing.T) {
	known := map[string]bool{}
	for _, dir := range examples(t) {
		known[filepath.Base(dir)] = true
	}
	stale, _ := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	for _, g := range stale {
		if known[filepath.Base(g)] {
			continue
		}
		if *update {
			os.RemoveAll(g)
		} else {
			t.Errorf("%s has no example any more (run go test ./emit -update)", g)
		}
	}
	for _, dir := range examples(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			d := load(t, dir)
			for _, e := range emitters {
				t.Run(e.target, func(t *testing.T) {
					r, err := e.run(d, Options{})
					if err != nil {
						t.Fatalf("emit: %v", err)
					}
					got := map[string][]byte{}
					for _, f := range r.Files {
						got[f.Name] = f.Data
					}
					got["findings.txt"] = findingsText(r.Findings)
					golden := filepath.Join("testdata", "golden", name, e.target)
					if *update {
						os.RemoveAll(golden)
						for fn, data := range got {
							path := filepath.Join(golden, filepath.FromSlash(fn))
							if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
								t.Fatal(err)
							}
							if err := os.WriteFile(path, data, 0o644); err != nil {
								t.Fatal(err)
							}
						}
						return
					}
					want := map[string][]byte{}
					entries, err := os.ReadDir(golden)
					if err != nil {
						t.Fatalf("no golden output (run go test ./emit -update): %v", err)
					}
					for _, en := range entries {
						data, err := os.ReadFile(filepath.Join(golden, en.Name()))
						if err != nil {
							t.Fatal(err)
						}
						want[en.Name()] = data
					}
					if diff := cmp.Diff(stringMap(want), stringMap(got)); diff != "" {
						t.Errorf("output differs from %s (-want +got):\n%s", golden, diff)
					}
				})
			}
		})
	}
}

func stringMap(m map[string][]byte) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// findingsText is the golden form of findings: one per line, with position.
func findingsText(fs []analyze.Finding) []byte {
	var b bytes.Buffer
	for _, f := range fs {
		fmt.Fprintf(&b, "%s:%d:%d: %s %s: %s\n", filepath.Base(f.Range.Filename), f.Range.Start.Line,
			f.Range.Start.Column, f.Severity, f.Rule, f.Message)
	}
	return b.Bytes()
}

// emittedCache holds each example's output with default options, emitted
// once for the tests that only read it.
var emittedCache sync.Map // "dir target" -> *Result

// emitted returns the example's output for a target with default options.
func emitted(t *testing.T, dir, target string) *Result {
	t.Helper()
	key := dir + " " + target
	if r, ok := emittedCache.Load(key); ok {
		return r.(*Result)
	}
	run := Compose
	if target == TargetKubernetes {
		run = Kubernetes
	}
	r, err := run(load(t, dir), Options{})
	if err != nil {
		t.Fatalf("%s %s: %v", dir, target, err)
	}
	emittedCache.Store(key, r)
	return r
}
