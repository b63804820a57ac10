package program

import (
	"context"
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
// protocol: an archform-full of another version is not used.
func TestProgramProtocol(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "prog")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho 'archform-full 1 0.9.0'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := &Program{Name: "archform-full", Env: "ARCHFORM_TEST_PROGRAM", Protocol: "archform-full 1 1.0.0"}
	t.Setenv(p.Env, script)
	if _, err := p.Find(context.Background()); err == nil {
		t.Fatal("a program of another version was accepted")
	}
	p.Protocol = "archform-full 1 0.9.0"
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
	root := sourceRoot("archform-full")
	if root == "" {
		t.Skip("not built from the source tree")
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "archform-full", "main.go")); err != nil {
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
	if err := CheckProtocol("archform-full 1 1.0.0"); err != nil {
		t.Errorf("no expectation: %v", err)
	}
	t.Setenv(ProtocolEnv, "archform-full 1 1.0.0")
	if err := CheckProtocol("archform-full 1 1.0.0"); err != nil {
		t.Errorf("same protocol: %v", err)
	}
	err := CheckProtocol("archform-full 1 0.9.0")
	if err == nil || !strings.Contains(err.Error(), `expects "archform-full 1 1.0.0"`) {
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
