package render

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Layout turns DOT into SVG.
type Layout func(ctx context.Context, dot []byte) ([]byte, error)

// ProgramLayout returns a Layout that runs an archform-graphviz program
// (cmd/archform-graphviz: `-T svg`, DOT on standard input, SVG on standard
// output), whose command command returns when a layout is first needed.
//
// The archform binary does not link go-graphviz, whose package init compiles
// Graphviz's WebAssembly module (tens of milliseconds at every start, far
// more where the temporary directory is not writable and its compilation
// cache cannot be used): it lays out through this program instead.
func ProgramLayout(command func(ctx context.Context, args ...string) (*exec.Cmd, error)) Layout {
	return func(ctx context.Context, dot []byte) ([]byte, error) {
		cmd, err := command(ctx, "-T", "svg")
		if err != nil {
			return nil, err
		}
		cmd.Stdin = bytes.NewReader(dot)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(errb.String())
			if msg == "" {
				msg = err.Error()
			}
			return nil, fmt.Errorf("laying out the diagram (%s): %s", cmd.Path, msg)
		}
		return out.Bytes(), nil
	}
}
