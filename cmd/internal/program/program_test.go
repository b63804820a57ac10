package program

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProgramEnvMustWork(t *testing.T) {
	p := &Program{Name: "archform-graphviz", Env: "ARCHFORM_TEST_PROGRAM", Protocol: "archform-graphviz 1"}
	t.Setenv(p.Env, "/bin/true")
	_, err := p.Find(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ARCHFORM_TEST_PROGRAM=/bin/true is not a working archform-graphviz") {
		t.Fatalf("err = %v", err)
	}
}

// TestProgramProtocol accepts a program only when -protocol prints its
// protocol: a helper of other sources is not used.
func TestProgramProtocol(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "prog")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho 'archform-graphviz 0123'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := &Program{Name: "archform-graphviz", Env: "ARCHFORM_TEST_PROGRAM", Protocol: "archform-graphviz 4567"}
	t.Setenv(p.Env, script)
	if _, err := p.Find(context.Background()); err == nil {
		t.Fatal("a program of another version was accepted")
	}
	p.Protocol = "archform-graphviz 0123"
	got, err := p.Find(context.Background())
	if err != nil || got != script {
		t.Fatalf("Find = %q, %v", got, err)
	}
}

// TestSourceKeyFollowsSources: the on-demand build's key changes when a
// source file changes, and not when a test or testdata file does.
func TestSourceKeyFollowsSources(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module github.com/archform/archform\n")
	write("go.sum", "")
	write("emit/emit.go", "package emit\n")
	write("emit/rule/doc.md", "doc\n")
	key := func() string {
		t.Helper()
		k, err := sourceKey(root, []string{"emit"})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	a := key()
	if len(a) != 16 || a != key() {
		t.Fatalf("key %q is not stable", a)
	}
	write("emit/emit_test.go", "package emit\n")
	write("emit/testdata/x.yaml", "x: 1\n")
	if key() != a {
		t.Error("a test or testdata file changed the key")
	}
	write("emit/rule/doc.md", "doc, edited\n")
	if key() == a {
		t.Error("an embedded file's change kept the key")
	}
}

func TestSourceRoot(t *testing.T) {
	root := sourceRoot("archform-graphviz")
	if root == "" {
		t.Skip("not built from the source tree")
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "archform-graphviz", "main.go")); err != nil {
		t.Fatal(err)
	}
	if sourceRoot("no-such-program") != "" {
		t.Error("sourceRoot found a program that is not there")
	}
}

// TestProgramNextToExecutable: a program next to the running executable is
// used without asking its -protocol (that would start it twice); Command
// passes the protocol for the program to check.
func TestProgramNextToExecutable(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	name := "archform-test-next-" + filepath.Base(t.TempDir())
	path := filepath.Join(filepath.Dir(self), name)
	script := "#!/bin/sh\nif [ \"$1\" = -protocol ]; then echo wrong; exit 0; fi\necho \"$ARCHFORM_PROTOCOL|$*\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Skip("cannot write next to the test binary:", err)
	}
	t.Cleanup(func() { os.Remove(path) })
	p := &Program{Name: name, Env: "ARCHFORM_TEST_PROGRAM_UNSET", Protocol: name + " 1"}
	cmd, err := p.Command(context.Background(), "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(string(out)), name+" 1|a b"; got != want {
		t.Fatalf("the program printed %q, want %q", got, want)
	}
}

func TestCheckProtocol(t *testing.T) {
	t.Setenv(ProtocolEnv, "")
	if err := CheckProtocol("archform-graphviz 4567"); err != nil {
		t.Errorf("no expectation: %v", err)
	}
	t.Setenv(ProtocolEnv, "archform-graphviz 4567")
	if err := CheckProtocol("archform-graphviz 4567"); err != nil {
		t.Errorf("same protocol: %v", err)
	}
	err := CheckProtocol("archform-graphviz 0123")
	if err == nil || !strings.Contains(err.Error(), `expects "archform-graphviz 4567"`) {
		t.Errorf("another version: %v", err)
	}
}

func TestPruneBuilds(t *testing.T) {
	cache := t.TempDir()
	old := time.Now().Add(-2 * pruneAge)
	for _, name := range []string{"full-aaaa", "full-bbbb", "full-cccc", "graphviz-dddd"} {
		dir := filepath.Join(cache, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "archform-full"), nil, 0o755); err != nil {
			t.Fatal(err)
		}
		if name != "full-bbbb" { // full-bbbb is recent
			if err := os.Chtimes(dir, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	pruneBuilds(cache, "full-", filepath.Join(cache, "full-cccc"), time.Now().Add(-pruneAge))
	var left []string
	entries, _ := os.ReadDir(cache)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if got, want := strings.Join(left, " "), "full-bbbb full-cccc graphviz-dddd"; got != want {
		t.Fatalf("left %q, want %q (old builds of other sources go; the kept one, recent ones and other programs' stay)", got, want)
	}
}

// TestGraphvizKey: GraphvizKey is the content key of the helper's sources,
// so that a helper built from other sources is never used.
func TestGraphvizKey(t *testing.T) {
	root := sourceRoot("archform-graphviz")
	if root == "" {
		t.Skip("not built from the source tree")
	}
	key, err := ContentKey(root, GraphvizSources, GraphvizModules)
	if err != nil {
		t.Fatal(err)
	}
	if key != GraphvizKey {
		t.Errorf("the Graphviz helper's sources changed: set GraphvizKey in cmd/internal/program/graphviz.go to %q", key)
	}
}

// TestContentKey: the key follows the helper's files and the versions of the
// modules named, not the rest of go.mod and go.sum.
func TestContentKey(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	key := func() string {
		t.Helper()
		k, err := ContentKey(root, []string{"helper"}, []string{"example.com/lib"})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	write("go.mod", "module m\n\nrequire (\n\texample.com/lib v1.0.0\n\texample.com/other v1.0.0\n)\n")
	write("go.sum", "")
	write("helper/main.go", "package main\n")
	a := key()
	write("go.sum", "example.com/new v1.0.0 h1:x\n")
	write("go.mod", "module m\n\nrequire (\n\texample.com/lib v1.0.0\n\texample.com/other v1.1.0\n\texample.com/new v1.0.0\n)\n")
	write("helper/main_test.go", "package main\n")
	if key() != a {
		t.Error("another module's version, go.sum or a test changed the key")
	}
	write("go.mod", "module m\n\nrequire (\n\texample.com/lib v1.0.1\n)\n")
	b := key()
	if b == a {
		t.Error("the named module's version did not change the key")
	}
	write("helper/main.go", "package main // edited\n")
	if key() == b {
		t.Error("a source file's change kept the key")
	}
}

// graphvizInEmptyEnv is the Graphviz helper as archform knows it, in an
// environment where nothing is installed or cached and PATH holds only dir.
func graphvizInEmptyEnv(t *testing.T, dir string) *Program {
	t.Setenv("PATH", dir)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ARCHFORM_TEST_GRAPHVIZ", "")
	if sourceRoot("archform-graphviz") == "" {
		t.Skip("not built from the source tree")
	}
	return &Program{Name: "archform-graphviz", Env: "ARCHFORM_TEST_GRAPHVIZ", Protocol: GraphvizProtocol,
		Purpose: "the Graphviz helper", Sources: GraphvizSources, Install: "go install ./cmd/...", BuildSeconds: 60}
}

// TestNoGoToolchain: without an installed helper and without Go to build
// it, Find says what is missing and how to install it (NotFoundError, which
// archform exits 3 with).
func TestNoGoToolchain(t *testing.T) {
	p := graphvizInEmptyEnv(t, t.TempDir())
	_, err := p.Find(context.Background())
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v, want a NotFoundError", err)
	}
	for _, want := range []string{"the Graphviz helper, is not installed", "no go command on PATH", "go install ./cmd/...", "ARCHFORM_TEST_GRAPHVIZ"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
}

// TestBuildSaysSoFirst: building the helper prints at once what is being
// built and about how long it takes, and the build is used once made (a
// fake go command stands in for the compiler).
func TestBuildSaysSoFirst(t *testing.T) {
	bin := t.TempDir()
	fake := "#!/bin/sh\n# go build -o OUT PKG\necho built >> \"" + filepath.Join(bin, "log") + "\"\n/bin/cp /bin/true \"$3\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	p := graphvizInEmptyEnv(t, bin)
	var notices strings.Builder
	p.Notices = &notices
	path, err := p.Find(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := notices.String(), "archform: building the Graphviz helper, first use only, about 60 s"; !strings.HasPrefix(got, want) {
		t.Errorf("notice %q, want it to start %q", got, want)
	}
	// A second archform finds the build in the cache: no notice, no build.
	q := graphvizInEmptyEnv(t, bin)
	t.Setenv("XDG_CACHE_HOME", filepath.Dir(filepath.Dir(filepath.Dir(path))))
	var again strings.Builder
	q.Notices = &again
	if got, err := q.Find(context.Background()); err != nil || got != path || again.Len() > 0 {
		t.Errorf("second Find = %q, %v, notice %q; want the cached %q silently", got, err, again.String(), path)
	}
	if log, _ := os.ReadFile(filepath.Join(bin, "log")); string(log) != "built\n" {
		t.Errorf("go ran %q, want one build", log)
	}
}
