package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/archform/archform/lintcmd/format"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/emit"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/render"
	"github.com/archform/archform/rules"
	"github.com/spf13/cobra"
)

type buildFlags struct {
	out    string
	force  bool
	vars   []string
	failOn string
	config string
}

func newBuildCmd() *cobra.Command {
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "build PATH -o DIR",
		Short: "Lint, draw and emit in one run",
		Long: "build lints the design (printing the findings as lint does, the emit-* findings included),\n" +
			"then writes DIR/diagram.svg, DIR/report.html, DIR/compose/ and DIR/kubernetes/.\n" +
			"Everything is generated and checked in memory first: an invalid design (exit 2) or a\n" +
			"manifest that fails its own validation (exit 4) writes nothing. A file in the way that\n" +
			"archform did not generate is never overwritten without --force. Exit codes as lint's.",
		Example: "  archform build testdata/shop -o out",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBuild(cmd, args[0], &f)
		},
	}
	cmd.Flags().StringVarP(&f.out, "output", "o", "", "directory to write into (required)")
	cmd.Flags().BoolVar(&f.force, "force", false, "overwrite files that archform did not generate")
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "set a design variable: --var name=value (repeatable)")
	cmd.Flags().StringVar(&f.failOn, "fail-on", "", "lowest severity that fails: error, warning, info or none (default: the configuration's, else error)")
	cmd.Flags().StringVar(&f.config, "config", "", "configuration file (default: .archform.hcl next to the design or above it)")
	return cmd
}

func runBuild(cmd *cobra.Command, path string, f *buildFlags) error {
	if f.out == "" {
		return cli.Exit(cli.ExitUsage, "build needs -o DIR")
	}
	d, diags, err := cli.LoadDesign(cmd, path, f.vars, false)
	if err != nil {
		return err
	}
	cfg, err := cli.LoadConfig(cmd, path, f.config)
	if err != nil {
		return err
	}
	if err := cli.ApplyFailOn(cfg, f.failOn); err != nil {
		return err
	}

	// The figures size the deployment and colour the diagram; computed once,
	// they serve the emitters and the lint run alike.
	res, err := analyze.ComputeSafe(d)
	if err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	outputs, err := emit.Both(d, f.out, emit.Options{Results: res})
	if err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	// One report for everything: the lint suite and what the targets could not express.
	suite := append([]*analyze.Analyzer{}, rules.All...)
	for _, o := range outputs {
		suite = append(suite, o.Result.Analyzer())
	}
	rep, err := analyze.RunWithResults(d, suite, cfg, res)
	if err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	rep.Diagnostics = diags

	in := render.Input{Design: d, Results: res, Findings: rep.Findings, Suite: rep.Suite}
	ctx := context.Background()
	var svg, html bytes.Buffer
	if err := render.SVG(ctx, &svg, in, render.Options{}, render.ProgramLayout(cli.Graphviz.Command)); err != nil {
		return drawError(fmt.Errorf("drawing the diagram: %w", err))
	}
	if render.Large(d) {
		// The report of a large design draws its summary and detail
		// drawings, not the whole-design picture diagram.svg holds.
		if err := render.Report(ctx, &html, in, render.ProgramLayout(cli.Graphviz.Command)); err != nil {
			return drawError(fmt.Errorf("writing the report: %w", err))
		}
	} else if err := render.ReportWithSVG(&html, in, svg.Bytes()); err != nil {
		return cli.Exit(cli.ExitInternal, "writing the report: %v", err)
	}
	outputs = append(outputs, emit.Output{Dir: f.out, Result: &emit.Result{Files: []emit.File{
		{Name: "diagram.svg", Data: cli.MarkGenerated(svg.Bytes())},
		{Name: "report.html", Data: cli.MarkGenerated(html.Bytes())},
	}}})

	stdout := cmd.OutOrStdout()
	if err := format.WriteText(stdout, rep, format.TextOptions{Color: cli.IsTerminal(stdout)}); err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	written, removed, err := emit.Write(outputs, f.force)
	if err != nil {
		return writeError(err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "Wrote %s into %s", lang.Count(len(written), "file", "files"), f.out)
	if len(removed) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), " (removed %d stale: %s)", len(removed), strings.Join(removed, ", "))
	}
	fmt.Fprintln(cmd.ErrOrStderr(), ".")
	if rep.Fails(cfg.FailOnSeverity()) {
		return cli.Exit(cli.ExitFindings, "")
	}
	return nil
}
