package cli

import (
	"bytes"
	"github.com/archform/archform/lintcmd/baseline"
	"github.com/archform/archform/lintcmd/config"
	"github.com/archform/archform/lintcmd/format"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/rules"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

type lintFlags struct {
	formats        []string
	failOn         string
	config         string
	showConfig     bool
	metrics        bool
	compact        bool
	showSuppressed bool
	baseline       string
	writeBaseline  string
	force          bool
	vars           []string
}

// output is one --format: a format name and where it goes ("-": stdout).
type output struct {
	format string
	path   string
	file   *Output // nil for standard output; set by checkLintOutputs
}

func NewLintCmd() *cobra.Command {
	var f lintFlags
	cmd := &cobra.Command{
		Use:   "lint [PATH]",
		Short: "Check a design for single points of failure, capacity gaps and consistency conflicts",
		Long: "lint decodes the design at PATH (default .), runs every rule on it and reports the\n" +
			"findings, each with its formula and numbers. Formats: text, json, sarif, github;\n" +
			"--format may repeat, and FORMAT=FILE writes that format to a file:\n" +
			"  --format text --format sarif=archform.sarif\n" +
			"A file (FORMAT=FILE, --write-baseline) that archform did not write is not overwritten\n" +
			"unless --force is given; a text report has no mark of its own, so it needs --force.\n" +
			"Exit codes: 0 no finding at or above --fail-on (default error), 1 findings at or\n" +
			"above it, 2 the design is invalid, 3 usage or configuration error, 4 internal error.",
		Example: "  archform lint testdata/shop\n" +
			"  archform lint . --format github --format sarif=archform.sarif --fail-on warning\n" +
			"  archform lint testdata/shop --format json | jq '.components[\"service.api\"]'",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "."
			if len(args) == 1 {
				path = args[0]
			}
			return runLint(cmd, path, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.formats, "format", nil, "output format text|json|sarif|github, or FORMAT=FILE (repeatable; default text)")
	fl.StringVar(&f.failOn, "fail-on", "", "lowest severity that fails: error, warning, info or none (default: the configuration's, else error)")
	fl.StringVar(&f.config, "config", "", "configuration file (default: .archform.hcl next to the design or above it)")
	fl.BoolVar(&f.showConfig, "show-config", false, "print the effective configuration and where each value came from, then exit")
	fl.BoolVar(&f.metrics, "metrics", false, "text format: add a table of each component's and flow's figures")
	fl.BoolVar(&f.compact, "compact", false, "text format: one line per finding, FILE:LINE:COL: SEVERITY RULE: MESSAGE (for editors' problem matchers)")
	fl.BoolVar(&f.showSuppressed, "show-suppressed", false, "text format: print suppressed findings too, with their reasons")
	fl.StringVar(&f.baseline, "baseline", "", "report only findings not in this baseline file, and list its stale entries")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "record the current findings in this baseline file")
	fl.BoolVar(&f.force, "force", false, "overwrite output files (FORMAT=FILE, --write-baseline) even if archform did not write them")
	fl.StringArrayVar(&f.vars, "var", nil, "set a design variable: --var name=value (repeatable)")
	return cmd
}

// lintFormats are the formats of lint's report (and drift's).
var lintFormats = []string{"text", "json", "sarif", "github"}

// parseOutputs reads --format flags: FORMAT or FORMAT=FILE, one of formats
// (the first is the default), at most one to standard output.
func parseOutputs(specs []string, formats ...string) ([]output, error) {
	if len(specs) == 0 {
		return []output{{format: "text", path: "-"}}, nil
	}
	var outs []output
	toStdout := 0
	for _, s := range specs {
		name, path, hasPath := strings.Cut(s, "=")
		if !slices.Contains(formats, name) {
			return nil, Exit(ExitUsage, "unknown --format %q: want %s or %s (optionally =FILE)", name,
				strings.Join(formats[:len(formats)-1], ", "), formats[len(formats)-1])
		}
		if !hasPath {
			path = "-"
		} else if path == "" {
			return nil, Exit(ExitUsage, "--format %s=: give a file name", name)
		}
		if path == "-" {
			toStdout++
		}
		outs = append(outs, output{format: name, path: path})
	}
	if toStdout > 1 {
		return nil, Exit(ExitUsage, "only one --format can go to standard output; write the others to files with FORMAT=FILE")
	}
	return outs, nil
}

func runLint(cmd *cobra.Command, path string, f *lintFlags) error {
	outs, err := parseOutputs(f.formats, lintFormats...)
	if err != nil {
		return err
	}
	if err := CheckDesignPath(path); err != nil {
		return err
	}
	cfg, err := LoadConfig(cmd, path, f.config)
	if err != nil {
		return err
	}
	if err := ApplyFailOn(cfg, f.failOn); err != nil {
		return err
	}
	if f.compact && f.metrics {
		return Exit(ExitUsage, "--compact and --metrics do not go together: --compact writes findings only")
	}
	if f.showConfig {
		if err := config.Show(cmd.OutOrStdout(), cfg, KnownRules()); err != nil {
			return Exit(ExitInternal, "%v", err)
		}
		return nil
	}
	baselineOut, err := checkLintOutputs(outs, f)
	if err != nil {
		return err
	}
	var base *baseline.Baseline
	if f.baseline != "" {
		if base, err = baseline.Load(f.baseline); err != nil {
			return Exit(ExitUsage, "%v", err)
		}
	}

	d, diags, loadErr := LoadDesign(cmd, path, f.vars, true)
	if code, ok := ExitCode(loadErr); ok && code != ExitInvalid {
		return loadErr
	}
	var rep *analyze.Report
	var applied *baseline.Applied
	var runErr error
	if loadErr != nil {
		var files map[string]*hcl.File
		if d != nil {
			files = d.Files
		}
		rep = analyze.InvalidReport(rules.All, files, diags)
	} else {
		defer collectSooner()()
		rep, runErr = analyze.Run(d, rules.All, cfg)
		rep.Diagnostics = diags
		if base != nil {
			applied = baseline.Apply(rep, base)
		}
	}

	if err := writeLintOutputs(cmd, outs, baselineOut, rep, applied, f, loadErr == nil); err != nil {
		return err
	}
	switch {
	case loadErr != nil:
		return Exit(ExitInvalid, "")
	case runErr != nil:
		return Exit(ExitInternal, "%v", runErr)
	case rep.Fails(cfg.FailOnSeverity()):
		return Exit(ExitFindings, "")
	}
	return nil
}

// lintGCPercent is the garbage collector's GOGC while lint analyses a
// design and writes its report. Lint's memory peaks there: the analysis and
// the report add as much again to the design, and with Go's default (100)
// the heap grows to twice what is live before it is collected. At 50 lint
// of 10,000 components peaks 20-30 MB lower (165-175 MB resident instead of
// 185-205), for some 0.3 s more CPU out of about 3.5 s.
const lintGCPercent = 50

// collectSooner sets GOGC to lintGCPercent, unless the environment sets
// GOGC, and returns the function that sets it back.
func collectSooner() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	old := debug.SetGCPercent(lintGCPercent)
	return func() { debug.SetGCPercent(old) }
}

// checkLintOutputs checks every file lint is to write (--format F=FILE and
// --write-baseline) before anything is run, so that a refusal writes nothing.
// It sets each output's file and returns the baseline's (nil without
// --write-baseline).
func checkLintOutputs(outs []output, f *lintFlags) (baselineOut *Output, err error) {
	var paths []string
	for _, o := range outs {
		if o.path != "-" {
			paths = append(paths, o.path)
		}
	}
	if f.writeBaseline != "" {
		paths = append(paths, f.writeBaseline)
	}
	files, err := CheckOutputs(f.force, paths...)
	if err != nil {
		return nil, err
	}
	for i := range outs {
		if outs[i].path != "-" {
			outs[i].file, files = files[0], files[1:]
		}
	}
	if f.writeBaseline != "" {
		baselineOut = files[0]
	}
	return baselineOut, nil
}

// writeLintOutputs writes the report in every format asked for, and the
// baseline (nil: none) when the design was valid: the files first, all or
// none, then standard output.
func writeLintOutputs(cmd *cobra.Command, outs []output, baselineOut *Output, rep *analyze.Report, applied *baseline.Applied, f *lintFlags, valid bool) error {
	if len(outs) == 1 && outs[0].file == nil && (baselineOut == nil || !valid) {
		// Standard output only: the report streams to it, so that the
		// report of a large design is never held whole.
		w := &stdoutWriter{w: cmd.OutOrStdout()}
		if err := writeLintReport(cmd, w, outs[0], rep, applied, f); err != nil {
			if w.err != nil {
				return StdoutError(w.err)
			}
			return Exit(ExitInternal, "%s output: %v", outs[0].format, err)
		}
		return nil
	}
	var stdout []byte
	var files []*Output
	for _, o := range outs {
		data, err := lintOutput(cmd, o, rep, applied, f)
		if err != nil {
			return err
		}
		if o.file == nil {
			stdout = data
			continue
		}
		o.file.Data = data
		files = append(files, o.file)
	}
	if baselineOut != nil && valid {
		var buf bytes.Buffer
		if err := baseline.Write(&buf, rep, applied); err != nil {
			return Exit(ExitInternal, "%v", err)
		}
		baselineOut.Data = buf.Bytes()
		files = append(files, baselineOut)
	}
	if err := WriteOutputs(files...); err != nil {
		return err
	}
	if _, err := cmd.OutOrStdout().Write(stdout); err != nil {
		return StdoutError(err)
	}
	return nil
}

// lintOutput is the report in o's format.
func lintOutput(cmd *cobra.Command, o output, rep *analyze.Report, applied *baseline.Applied, f *lintFlags) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeLintReport(cmd, &buf, o, rep, applied, f); err != nil {
		return nil, Exit(ExitInternal, "%s output: %v", o.format, err)
	}
	return buf.Bytes(), nil
}

// writeLintReport writes the report in o's format to w.
func writeLintReport(cmd *cobra.Command, w io.Writer, o output, rep *analyze.Report, applied *baseline.Applied, f *lintFlags) error {
	switch o.format {
	case "text":
		if f.compact {
			return format.WriteCompact(w, rep, f.showSuppressed)
		}
		color := o.path == "-" && IsTerminal(cmd.OutOrStdout())
		return format.WriteText(w, rep, format.TextOptions{Color: color, Metrics: f.metrics, ShowSuppressed: f.showSuppressed, Baseline: applied})
	case "json":
		return format.WriteJSON(w, rep, applied)
	case "sarif":
		return format.WriteSARIF(w, rep, format.SARIFOptions{})
	case "github":
		return format.WriteGitHub(w, rep)
	}
	return nil
}

// stdoutWriter remembers the first error writing to standard output, which
// is the environment's (a closed pipe, a full disk), not the report's.
type stdoutWriter struct {
	w   io.Writer
	err error
}

func (s *stdoutWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}
