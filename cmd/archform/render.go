package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/render"
	"github.com/archform/archform/rules"
	"github.com/spf13/cobra"
)

func init() { cli.Register(newRenderCmd) }

// drawFlags are the flags render and report share.
type drawFlags struct {
	out        string
	vars       []string
	noAnalysis bool
	flow       string
}

func (f *drawFlags) register(cmd *cobra.Command, outHelp string) {
	cmd.Flags().StringVarP(&f.out, "output", "o", "-", outHelp)
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "set a variable: --var name=value (repeatable)")
}

func newRenderCmd() *cobra.Command {
	var flags drawFlags
	var format string
	cmd := &cobra.Command{
		Use:   "render PATH",
		Short: "Draw the design as DOT, SVG, PNG or a Mermaid flowchart",
		Long: "render draws the design with its analysis on it: traffic on each edge, utilization on\n" +
			"each node, single points of failure with a red border, overloaded tiers in orange and\n" +
			"consistency conflicts on their edges. --no-analysis draws the bare design; --flow NAME\n" +
			"highlights one flow's path. SVG and PNG are laid out by Graphviz (the archform-graphviz\n" +
			"helper); PNG is rasterised from that SVG.",
		Example: "  archform render testdata/shop -f svg -o shop.svg\n" +
			"  archform render testdata/shop -f mermaid\n" +
			"  archform render testdata/shop -f png --flow order -o order.png",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := render.ParseFormat(format)
			if err != nil {
				return cli.Exit(cli.ExitUsage, "%v", err)
			}
			if f.Binary() && (!cmd.Flags().Changed("output") || (flags.out == "-" && cli.IsTerminal(cmd.OutOrStdout()))) {
				return cli.Exit(cli.ExitUsage, "-f %s writes a binary image: give -o FILE (or -o - with standard output redirected)", f)
			}
			in, err := drawInput(cmd, args[0], &flags, !flags.noAnalysis || flags.flow != "")
			if err != nil {
				return err
			}
			opts := render.Options{NoAnalysis: flags.noAnalysis, Flow: flags.flow}
			return writeOutput(cmd, flags.out, func(w io.Writer) error {
				return render.Draw(context.Background(), w, f, in, opts, render.ProgramLayout(cli.Graphviz.Find))
			})
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "svg", "output format: dot, svg, png or mermaid")
	flags.register(cmd, "write to FILE (- for standard output; PNG needs a file or a redirected output)")
	cmd.Flags().BoolVar(&flags.noAnalysis, "no-analysis", false, "draw the bare design: no traffic, utilization or findings")
	cmd.Flags().StringVar(&flags.flow, "flow", "", "highlight the path of flow NAME")
	return cmd
}

// drawInput loads the design at path and, when analysis is wanted, lints it
// with the configured suite to get the figures and findings to draw. An
// invalid design prints its diagnostics and exits 2.
func drawInput(cmd *cobra.Command, path string, flags *drawFlags, analysis bool) (render.Input, error) {
	if _, err := os.Stat(path); err != nil {
		return render.Input{}, cli.Exit(cli.ExitUsage, "%v", err)
	}
	d, _, err := cli.LoadDesign(cmd, path, flags.vars, false)
	if err != nil {
		return render.Input{}, err
	}
	in := render.Input{Design: d}
	if !analysis {
		return in, nil
	}
	cfg, err := cli.LoadConfig(cmd, path, "")
	if err != nil {
		return render.Input{}, err
	}
	rep, err := analyze.Run(d, rules.All, cfg)
	if err != nil {
		return render.Input{}, cli.Exit(cli.ExitInternal, "%v", err)
	}
	res, err := rep.Results()
	if err != nil {
		return render.Input{}, cli.Exit(cli.ExitInternal, "%v", err)
	}
	in.Results, in.Findings = res, rep.Findings
	return in, nil
}

// writeOutput writes what write produces to standard output ("-") or to a
// file, atomically (see writeFileAtomic): a failure leaves no file behind.
func writeOutput(cmd *cobra.Command, out string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return drawError(err)
	}
	if out == "-" {
		if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
			return cli.Exit(cli.ExitInternal, "%v", err)
		}
		return nil
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return cli.Exit(cli.ExitUsage, "%s is a directory", out)
	}
	if err := cli.WriteFileAtomic(out, buf.Bytes()); err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return cli.Exit(cli.ExitUsage, "writing %s: %v", out, err)
		}
		return cli.Exit(cli.ExitInternal, "writing %s: %v", out, err)
	}
	return nil
}

// drawError maps a render error to an exit code: an unknown flow is the
// user's mistake (3); anything else is internal (4).
func drawError(err error) error {
	var fe *render.FlowError
	if errors.As(err, &fe) {
		return cli.Exit(cli.ExitUsage, "%v", err)
	}
	return cli.Exit(cli.ExitInternal, "%v", err)
}
