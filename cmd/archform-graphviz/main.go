// Command archform-graphviz lays out a DOT graph read from standard input and
// writes it as SVG to standard output. `archform render`, `report` and
// `build` run it (it is found through $ARCHFORM_GRAPHVIZ, next to the
// archform binary, on PATH, or built on demand from source) so that the
// archform binary itself never links the Graphviz WebAssembly engine, whose
// initialisation costs every start (48-87 ms). A helper built from other
// sources than the archform that runs it refuses to run (see
// program.GraphvizKey).
//
// Usage:
//
//	archform-graphviz -T svg < graph.dot > graph.svg
//	archform-graphviz -protocol
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/archform/archform/cmd/internal/program"
	"github.com/archform/archform/render/graphviz"
)

// protocol names the helper and the content key of its sources
// (program.GraphvizKey); archform checks it.
const protocol = program.GraphvizProtocol

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("archform-graphviz", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("T", "svg", "output format (svg)")
	proto := fs.Bool("protocol", false, "print the helper protocol version and exit")
	if err := fs.Parse(args); err != nil {
		return 3
	}
	if *proto {
		fmt.Fprintln(stdout, protocol)
		return 0
	}
	// archform passes the protocol it expects (program.Program.Command): a
	// program of another version refuses rather than answer in another way.
	if err := program.CheckProtocol(protocol); err != nil {
		fmt.Fprintln(stderr, "archform:", err)
		return 4
	}
	if *format != "svg" {
		fmt.Fprintf(stderr, "archform-graphviz: unsupported format %q (only svg)\n", *format)
		return 3
	}
	dot, err := io.ReadAll(stdin)
	if err != nil {
		fmt.Fprintln(stderr, "archform-graphviz:", err)
		return 4
	}
	svg, err := graphviz.SVG(context.Background(), dot)
	if err != nil {
		fmt.Fprintln(stderr, "archform-graphviz:", err)
		return 1
	}
	if _, err := stdout.Write(svg); err != nil {
		fmt.Fprintln(stderr, "archform-graphviz:", err)
		return 4
	}
	return 0
}
