package render

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/render/graphviz"
)

// TestProgramLayout builds the archform-graphviz program from this source
// tree and checks it lays out exactly as the in-process engine does.
func TestProgramLayout(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found: cannot build archform-graphviz")
	}
	prog := filepath.Join(t.TempDir(), "archform-graphviz")
	if out, err := exec.Command("go", "build", "-o", prog, "../cmd/archform-graphviz").CombinedOutput(); err != nil {
		t.Fatalf("building archform-graphviz: %v\n%s", err, out)
	}
	layout := ProgramLayout(func(ctx context.Context, args ...string) (*exec.Cmd, error) {
		return exec.CommandContext(ctx, prog, args...), nil
	})
	var dot bytes.Buffer
	if err := DOT(&dot, fixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	got, err := layout(context.Background(), dot.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want, err := graphviz.SVG(context.Background(), dot.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("the program's SVG differs from the in-process layout")
	}
	// The program reports a DOT error on its standard error, which the
	// layout passes on with the program's path.
	if _, err := layout(context.Background(), []byte("digraph { a -> ")); err == nil || !strings.Contains(err.Error(), prog) {
		t.Errorf("broken DOT: err = %v", err)
	}
}
