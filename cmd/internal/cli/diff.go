package cli

import (
	"bytes"
	"errors"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/diff"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lintcmd/format"
	"github.com/archform/archform/rules"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

type diffFlags struct {
	formats []string
	failOn  string
	config  string
	force   bool
	vars    []string
}

// NewDiffCmd is `archform diff BASE HEAD [-- PATH]`.
func NewDiffCmd() *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff BASE HEAD | diff REV [REV] -- PATH",
		Short: "Review what a change does to the architecture: structure, findings and figures",
		Long: "diff compares two versions of a design: components, calls, flows and settings\n" +
			"added, removed and changed; findings introduced and resolved (matched by their\n" +
			"fingerprints, which survive line moves); and the figures that moved: each flow's\n" +
			"availability (as a percentage and minutes down per month) and latencies, each\n" +
			"tier's utilization and headroom, and which flows survive each zone's and region's loss.\n\n" +
			"Each side is a design path, or REV:PATH for a path in a git revision; with -- PATH\n" +
			"the sides before it are revisions of that path (one revision: against the working tree).\n\n" +
			"Formats: text, markdown (a pull-request comment: the verdict first, then tables),\n" +
			"json, sarif (only the new findings); --format may repeat, FORMAT=FILE writes a file.\n" +
			"Exit codes: 0 the change passes --fail-on, 1 it does not, 2 a version of the design\n" +
			"is invalid, 3 usage error (a revision or path that does not exist), 4 internal error.",
		Example: "  archform diff origin/main HEAD -- design/\n" +
			"  archform diff origin/main -- design/ --format markdown=review.md --fail-on new-warning\n" +
			"  archform diff old/ new/ --format json",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd, args, cmd.ArgsLenAtDash(), &f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.formats, "format", nil, "output format text|markdown|json|sarif, or FORMAT=FILE (repeatable; default text)")
	fl.StringVar(&f.failOn, "fail-on", "new-error", "exit 1 when the change: new-error (adds an error finding), new-warning, new-info, worse (any new finding or any figure worse), or never")
	fl.StringVar(&f.config, "config", "", "lint configuration file (default: .archform.hcl next to the head design or above it)")
	fl.BoolVar(&f.force, "force", false, "overwrite output files even if archform did not write them")
	fl.StringArrayVar(&f.vars, "var", nil, "set a design variable in both versions: --var name=value (repeatable)")
	return cmd
}

func runDiff(cmd *cobra.Command, args []string, dash int, f *diffFlags) error {
	outs, err := parseOutputs(f.formats, "text", "markdown", "json", "sarif")
	if err != nil {
		return err
	}
	switch f.failOn {
	case "new-error", "new-warning", "new-info", "worse", "never":
	default:
		return Exit(ExitUsage, "--fail-on %q: want new-error, new-warning, new-info, worse or never", f.failOn)
	}
	base, head, err := diff.ParseSources(args, dash)
	if err != nil {
		return Exit(ExitUsage, "%v", err)
	}
	head.Plain = true
	opts, err := LoadOptions(f.vars)
	if err != nil {
		return err
	}
	cfgPath := head.Path
	if head.Rev != "" {
		cfgPath = "."
	}
	cfg, err := LoadConfig(cmd, cfgPath, f.config)
	if err != nil {
		return err
	}
	var paths []string
	for _, o := range outs {
		if o.path != "-" {
			paths = append(paths, o.path)
		}
	}
	files, err := CheckOutputs(f.force, paths...)
	if err != nil {
		return err
	}
	sides := make([]*diff.Side, 2)
	invalid := false
	for i, src := range []diff.Source{base, head} {
		d, diags, err := src.Load(opts)
		var env *diff.EnvError
		if errors.As(err, &env) {
			return Exit(ExitUsage, "%v", err)
		}
		if len(diags) > 0 {
			var hf map[string]*hcl.File
			if d != nil {
				hf = d.Files
			}
			stderr := cmd.ErrOrStderr()
			lang.WriteDiagnostics(stderr, hf, diags, IsTerminal(stderr))
		}
		if diags.HasErrors() || d == nil {
			invalid = true
			continue
		}
		s, err := diff.NewSide(src.Label(), d, rules.All, cfg)
		if err != nil {
			return Exit(ExitInternal, "%v", err)
		}
		sides[i] = s
	}
	if invalid {
		return Exit(ExitInvalid, "")
	}
	r := diff.Compare(sides[0], sides[1])

	var stdout []byte
	var written []*Output
	for _, o := range outs {
		var buf bytes.Buffer
		switch o.format {
		case "text":
			err = diff.WriteText(&buf, r)
		case "markdown":
			err = diff.WriteMarkdown(&buf, r)
		case "json":
			err = diff.WriteJSON(&buf, r)
		case "sarif":
			err = format.WriteSARIF(&buf, r.NewFindingsReport(), format.SARIFOptions{})
		}
		if err != nil {
			return Exit(ExitInternal, "%s output: %v", o.format, err)
		}
		if o.path == "-" {
			stdout = buf.Bytes()
			continue
		}
		files[0].Data = buf.Bytes()
		written = append(written, files[0])
		files = files[1:]
	}
	if err := WriteOutputs(written...); err != nil {
		return err
	}
	if _, err := cmd.OutOrStdout().Write(stdout); err != nil {
		return StdoutError(err)
	}
	fail := false
	switch f.failOn {
	case "new-error":
		fail = r.Worse(analyze.Error)
	case "new-warning":
		fail = r.Worse(analyze.Warning)
	case "new-info":
		fail = r.Worse(analyze.Info)
	case "worse":
		fail = r.AnyWorse()
	}
	if fail {
		return Exit(ExitFindings, "")
	}
	return nil
}
