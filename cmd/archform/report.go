package main

import (
	"bytes"
	"context"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/render"
	"github.com/spf13/cobra"
)

func newReportCmd() *cobra.Command {
	var flags drawFlags
	cmd := &cobra.Command{
		Use:   "report PATH",
		Short: "Write a self-contained HTML report: diagram, findings, figures",
		Long: "report lints the design and writes one HTML page that needs nothing else to be viewed:\n" +
			"the diagram (inline SVG), the findings linked to their components in the diagram, each\n" +
			"component's load, utilization, availability and latency, and each flow's availability and\n" +
			"latency against its objectives. Findings do not change its exit code: use lint for that.\n" +
			"-o FILE does not overwrite a file archform did not write unless --force is given.",
		Example: "  archform report testdata/shop -o report.html",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := flags.output()
			if err != nil {
				return err
			}
			in, err := drawInput(cmd, args[0], &flags, true)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := render.Report(context.Background(), &buf, in, render.ProgramLayout(cli.Graphviz.Command)); err != nil {
				return drawError(err)
			}
			return writeOutput(cmd, out, cli.MarkGenerated(buf.Bytes()))
		},
	}
	flags.register(cmd, "write the page to FILE (- for standard output)")
	return cmd
}
