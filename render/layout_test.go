package render

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/archform/archform/render/graphviz"
)

// TestHelperLayout finds (or builds from this source tree) the
// archform-graphviz helper and checks it lays out exactly as the in-process
// engine does.
func TestHelperLayout(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found: cannot build the helper")
	}
	found = ""
	t.Cleanup(func() { found = "" })
	var dot bytes.Buffer
	if err := DOT(&dot, fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	got, err := HelperLayout()(context.Background(), dot.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want, err := graphviz.SVG(context.Background(), dot.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("the helper's SVG differs from the in-process layout")
	}
	// The helper reports a DOT error on its standard error, which the
	// layout passes on.
	if _, err := HelperLayout()(context.Background(), []byte("digraph { a -> ")); err == nil || !strings.Contains(err.Error(), "archform-graphviz") {
		t.Errorf("broken DOT: err = %v", err)
	}
}

func TestHelperEnvMustWork(t *testing.T) {
	found = ""
	t.Cleanup(func() { found = "" })
	t.Setenv(HelperEnv, "/bin/true")
	_, err := FindHelper(context.Background())
	if err == nil || !strings.Contains(err.Error(), "is not a working archform-graphviz") {
		t.Fatalf("err = %v", err)
	}
}

func TestHelperKeyFollowsSources(t *testing.T) {
	root := sourceRoot()
	if root == "" {
		t.Skip("not built from the source tree")
	}
	a, err := helperKey(root)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := helperKey(root)
	if a != b || len(a) != 16 {
		t.Fatalf("keys %q, %q", a, b)
	}
}
