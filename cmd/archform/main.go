// Command archform compiles, lints, draws and deploys architecture designs.
//
// Every command is in this one program, listed in commands. Only the
// Graphviz layout runs in a helper program, archform-graphviz (see package
// cli): go-graphviz compiles its WebAssembly Graphviz at every start of a
// program that links it, which would cost every lint.
package main

import (
	"os"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/spf13/cobra"
)

// commands returns every archform command. To add one, add its constructor
// here.
func commands() []*cobra.Command {
	return []*cobra.Command{
		cli.NewValidateCmd(),
		cli.NewLintCmd(),
		cli.NewRulesCmd(),
		cli.NewExplainCmd(),
		cli.NewInitCmd(),
		cli.NewVersionCmd(),
		newFmtCmd(),
		newRenderCmd(),
		newReportCmd(),
		newEmitCmd(),
		newBuildCmd(),
		newImportCmd(),
		cli.NewWhatIfCmd(),
		cli.NewSimulateCmd(),
		newLSPCmd(),
		cli.NewDiffCmd(),
		cli.NewDriftCmd(),
	}
}

func main() { os.Exit(cli.Main(cli.NewRoot(commands()...))) }
