package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/cmd/internal/program"
	"github.com/archform/archform/render"
	"github.com/archform/archform/rules"
	"github.com/spf13/cobra"
)

// drawFlags are the flags render and report share.
type drawFlags struct {
	out        string
	force      bool
	vars       []string
	noAnalysis bool
	flow       string
	scenario   string
	zone       string
	around     string
	depth      int
	tier       string
	view       string
}

func (f *drawFlags) register(cmd *cobra.Command, outHelp string) {
	cmd.Flags().StringVarP(&f.out, "output", "o", "-", outHelp)
	cmd.Flags().BoolVar(&f.force, "force", false, "overwrite -o FILE even if archform did not write it")
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "set a variable: --var name=value (repeatable)")
	cmd.Flags().StringVar(&f.scenario, "scenario", "", "draw a what-if scenario: whatif's --fail and --scale values, comma-separated (zone:a,client.web=2x): tiers down crossed out, tiers over capacity red")
}

// output checks -o before anything is drawn: nil for standard output.
func (f *drawFlags) output() (*cli.Output, error) {
	if f.out == "-" {
		return nil, nil
	}
	outs, err := cli.CheckOutputs(f.force, f.out)
	if err != nil {
		return nil, err
	}
	return outs[0], nil
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
			"helper); PNG is rasterised from that SVG. -o FILE does not overwrite a file archform did\n" +
			"not write unless --force is given.",
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
			if !slices.Contains([]string{"auto", "full", "summary"}, flags.view) {
				return cli.Exit(cli.ExitUsage, "--view %s: want auto, full or summary", flags.view)
			}
			out, err := flags.output()
			if err != nil {
				return err
			}
			in, err := drawInput(cmd, args[0], &flags, !flags.noAnalysis || flags.flow != "")
			if err != nil {
				return err
			}
			opts := render.Options{NoAnalysis: flags.noAnalysis, Flow: flags.flow, Zone: flags.zone,
				Around: flags.around, Depth: flags.depth, Tier: flags.tier}
			if err := flags.chooseView(cmd, in, &opts, f); err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := render.Draw(context.Background(), &buf, f, in, opts, render.ProgramLayout(cli.Graphviz.Command)); err != nil {
				return drawError(err)
			}
			data := buf.Bytes()
			if f == render.FormatSVG {
				data = cli.MarkGenerated(data)
			}
			return writeOutput(cmd, out, data)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "svg", "output format: dot, svg, png or mermaid")
	flags.register(cmd, "write to FILE (- for standard output; PNG needs a file or a redirected output)")
	cmd.Flags().BoolVar(&flags.noAnalysis, "no-analysis", false, "draw the bare design: no traffic, utilization or findings")
	cmd.Flags().StringVar(&flags.flow, "flow", "", "highlight the path of flow NAME")
	cmd.Flags().StringVar(&flags.zone, "zone", "", "draw only the components in zone Z (or in region Z's zones)")
	cmd.Flags().StringVar(&flags.around, "around", "", "draw only KIND.NAME and the components within --depth edges of it")
	cmd.Flags().IntVar(&flags.depth, "depth", 1, "with --around: how many edges away to draw")
	cmd.Flags().StringVar(&flags.tier, "tier", "", "draw only the components of one tier: entry, edge, services or data (with --zone: in that zone or region)")
	cmd.Flags().StringVar(&flags.view, "view", "auto", "auto, full or summary: summary draws one node per region and kind with counts; auto draws it for designs of more than "+strconv.Itoa(render.SummaryThreshold)+" components when no other view is asked for")
	return cmd
}

// chooseView applies --view: summary, full, or (auto) the summary for a
// large design when no other view is asked for. Drawing the summary where
// the whole design was not asked for is said on standard error.
func (f *drawFlags) chooseView(cmd *cobra.Command, in render.Input, opts *render.Options, format render.Format) error {
	other := f.flow != "" || f.zone != "" || f.around != "" || f.tier != "" || f.scenario != ""
	switch f.view {
	case "full":
	case "summary":
		if other {
			return cli.Exit(cli.ExitUsage, "--view summary draws the whole design: it takes no --flow, --zone, --around, --tier or --scenario")
		}
		opts.Summary = true
	case "auto":
		if !other && render.Large(in.Design) && format != render.FormatMermaid {
			opts.Summary = true
			fmt.Fprintf(cmd.ErrOrStderr(), "archform: %d components: drawing the summary view (one node per region and kind; --view full draws every component)\n", len(in.Design.Components))
		}
	default:
		return cli.Exit(cli.ExitUsage, "--view %s: want auto, full or summary", f.view)
	}
	return nil
}

// drawInput loads the design at path and, when analysis is wanted, lints it
// with the configured suite to get the figures and findings to draw. An
// invalid design prints its diagnostics and exits 2.
func drawInput(cmd *cobra.Command, path string, flags *drawFlags, analysis bool) (render.Input, error) {
	d, _, err := cli.LoadDesign(cmd, path, flags.vars, false)
	if err != nil {
		return render.Input{}, err
	}
	in := render.Input{Design: d}
	var scenario *analyze.WhatIfResult
	if flags.scenario != "" {
		w, err := analyze.ParseScenario(d, flags.scenario)
		if err != nil {
			return render.Input{}, cli.Exit(cli.ExitUsage, "--scenario: %v", err)
		}
		scenario = analyze.ComputeWhatIf(d, w)
		in = render.Input{Design: scenario.Applied.Design, Scenario: render.ScenarioOf(scenario)}
	}
	if !analysis {
		return in, nil
	}
	cfg, err := cli.LoadConfig(cmd, path, "")
	if err != nil {
		return render.Input{}, err
	}
	if scenario != nil {
		rep, err := analyze.RunWithResults(in.Design, rules.All, cfg, scenario.Under)
		if err != nil {
			return render.Input{}, cli.Exit(cli.ExitInternal, "%v", err)
		}
		in.Results, in.Findings, in.Suite = scenario.Under, rep.Findings, rep.Suite
		return in, nil
	}
	rep, err := analyze.Run(d, rules.All, cfg)
	if err != nil {
		return render.Input{}, cli.Exit(cli.ExitInternal, "%v", err)
	}
	res, err := rep.Results()
	if err != nil {
		return render.Input{}, cli.Exit(cli.ExitInternal, "%v", err)
	}
	in.Results, in.Findings, in.Suite = res, rep.Findings, rep.Suite
	return in, nil
}

// writeOutput writes data to out, checked by drawFlags.output, or to
// standard output when out is nil.
func writeOutput(cmd *cobra.Command, out *cli.Output, data []byte) error {
	if out == nil {
		if _, err := cmd.OutOrStdout().Write(data); err != nil {
			return cli.StdoutError(err)
		}
		return nil
	}
	out.Data = data
	return cli.WriteOutputs(out)
}

// drawError maps a render error to an exit code: an unknown flow is the
// user's mistake, a Graphviz helper that is not installed and cannot be
// built an environment problem (3); anything else is internal (4).
func drawError(err error) error {
	var fe *render.FlowError
	var ve *render.ViewError
	var nf *program.NotFoundError
	if errors.As(err, &fe) || errors.As(err, &ve) || errors.As(err, &nf) {
		return cli.Exit(cli.ExitUsage, "%v", err)
	}
	return cli.Exit(cli.ExitInternal, "%v", err)
}
