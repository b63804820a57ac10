package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/render"
	"github.com/archform/archform/rules"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

func init() { subcommands = append(subcommands, newRenderCmd) }

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
				return exitCode(exitUsage, "%v", err)
			}
			if f.Binary() && (!cmd.Flags().Changed("output") || (flags.out == "-" && isTerminal(cmd.OutOrStdout()))) {
				return exitCode(exitUsage, "-f %s writes a binary image: give -o FILE (or -o - with standard output redirected)", f)
			}
			in, err := drawInput(cmd, args[0], &flags, !flags.noAnalysis || flags.flow != "")
			if err != nil {
				return err
			}
			opts := render.Options{NoAnalysis: flags.noAnalysis, Flow: flags.flow}
			return writeOutput(cmd, flags.out, func(w io.Writer) error {
				return render.Draw(context.Background(), w, f, in, opts, render.HelperLayout())
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
	vars := map[string]string{}
	for _, kv := range flags.vars {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return render.Input{}, exitCode(exitUsage, "--var %q: want name=value", kv)
		}
		vars[name] = val
	}
	if _, err := os.Stat(path); err != nil {
		return render.Input{}, exitCode(exitUsage, "%v", err)
	}
	stderr := cmd.ErrOrStderr()
	d, diags := lang.Load(path, lang.Options{Vars: vars})
	if diags.HasErrors() || d == nil {
		var files map[string]*hcl.File
		if d != nil {
			files = d.Files
		}
		lang.WriteDiagnostics(stderr, files, diags, isTerminal(stderr))
		return render.Input{}, exitCode(exitInvalid, "")
	}
	if len(diags) > 0 {
		lang.WriteDiagnostics(stderr, d.Files, diags, isTerminal(stderr))
	}
	in := render.Input{Design: d}
	if !analysis {
		return in, nil
	}
	cfg := analyze.DefaultConfig()
	cfgPath, err := analyze.FindConfig(path)
	if err != nil {
		return render.Input{}, exitCode(exitUsage, "%v", err)
	}
	if cfgPath != "" {
		c, cdiags := analyze.LoadConfig(cfgPath, rules.All)
		if cdiags.HasErrors() || c == nil {
			lang.WriteDiagnostics(stderr, nil, cdiags, isTerminal(stderr))
			return render.Input{}, exitCode(exitUsage, "")
		}
		cfg = c
	}
	rep, err := analyze.Run(d, rules.All, cfg)
	if err != nil {
		return render.Input{}, exitCode(exitInternal, "%v", err)
	}
	res, err := rep.Results()
	if err != nil {
		return render.Input{}, exitCode(exitInternal, "%v", err)
	}
	in.Results, in.Findings = res, rep.Findings
	return in, nil
}

// writeOutput writes what write produces to standard output ("-") or to a
// file, atomically: into a temporary file next to it, renamed over it only
// when everything was written. A failure leaves no file behind.
func writeOutput(cmd *cobra.Command, out string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return drawError(err)
	}
	if out == "-" {
		if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
			return exitCode(exitInternal, "%v", err)
		}
		return nil
	}
	// A device or pipe (/dev/null, /dev/stdout, a FIFO) is written to as it
	// is: renaming a file over it would replace it.
	if st, err := os.Stat(out); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return exitCode(exitUsage, "%s is a directory", out)
		}
		f, err := os.OpenFile(out, os.O_WRONLY, 0)
		if err != nil {
			return exitCode(exitUsage, "%v", err)
		}
		_, werr := f.Write(buf.Bytes())
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return exitCode(exitInternal, "writing %s: %v", out, werr)
		}
		return nil
	}
	dir := filepath.Dir(out)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return exitCode(exitUsage, "%v", err)
	}
	_, werr := tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), out)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return exitCode(exitInternal, "writing %s: %v", out, werr)
	}
	return nil
}

// drawError maps a render error to an exit code: an unknown flow is the
// user's mistake (3); anything else is internal (4).
func drawError(err error) error {
	var fe *render.FlowError
	if errors.As(err, &fe) {
		return exitCode(exitUsage, "%v", err)
	}
	return exitCode(exitInternal, "%v", err)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
