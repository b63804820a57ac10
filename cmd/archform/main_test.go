package main

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/archform/archform/cmd/internal/program"
	"github.com/archform/archform/render"

	"github.com/archform/archform/cmd/internal/cli"
)

// run runs archform with args, as main does with os.Args, and returns its
// exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return cli.Run(cli.NewRoot(commands()...), args, stdout, stderr)
}

// TestDrawErrorCodes: a Graphviz helper that cannot be found or built is an
// environment problem (exit 3), as an unknown flow is the user's (3); any
// other drawing error is archform's (4).
func TestDrawErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{fmt.Errorf("drawing the diagram: %w", &program.NotFoundError{Msg: "no go"}), cli.ExitUsage},
		{&render.FlowError{}, cli.ExitUsage},
		{errors.New("layout crashed"), cli.ExitInternal},
	} {
		if code, _ := cli.ExitCode(drawError(tc.err)); code != tc.want {
			t.Errorf("drawError(%v) exits %d, want %d", tc.err, code, tc.want)
		}
	}
}
