package cli

import (
	"errors"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/drift"
	"github.com/archform/archform/emit"
	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

type driftFlags struct {
	compose    []string
	kubernetes []string
	lint       lintFlags
}

// NewDriftCmd is `archform drift DESIGN --compose FILE... | --kubernetes PATH...`.
func NewDriftCmd() *cobra.Command {
	var f driftFlags
	cmd := &cobra.Command{
		Use:   "drift DESIGN (--compose FILE... | --kubernetes PATH...)",
		Short: "Compare a design with the Compose files or Kubernetes manifests that say what runs",
		Long: "drift compares the design at DESIGN with what the deployment files say runs:\n" +
			"components missing on either side, replicas, images and engines, zone spread and\n" +
			"resources that differ, and calls the deployment blocks or allows that the design\n" +
			"does not have. What the design implies is what `archform emit` makes of it, so the\n" +
			"manifests archform emitted for a design show no drift from it.\n\n" +
			"Each difference is a finding of a drift-* rule (see `archform rules`) pointing at the\n" +
			"design's attribute, with the manifest's file and line as a related location; the\n" +
			"formats are lint's: text, json, sarif, github (FORMAT=FILE writes a file).\n" +
			"Exit codes: 0 no drift at or above --fail-on (default error), 1 drift, 2 the design or\n" +
			"a deployment file is invalid, 3 usage error, 4 internal error.",
		Example: "  archform drift design/ --kubernetes k8s/\n" +
			"  archform drift design/ --compose compose.yaml --format sarif=drift.sarif",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDrift(cmd, args[0], &f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.compose, "compose", nil, "a Compose file of the deployment (repeatable: later files override earlier ones)")
	fl.StringArrayVar(&f.kubernetes, "kubernetes", nil, "a Kubernetes manifest or a directory of them, read recursively (repeatable)")
	fl.StringArrayVar(&f.lint.formats, "format", nil, "output format text|json|sarif|github, or FORMAT=FILE (repeatable; default text)")
	fl.StringVar(&f.lint.failOn, "fail-on", "error", "lowest severity that fails: error, warning, info or none")
	fl.BoolVar(&f.lint.force, "force", false, "overwrite output files even if archform did not write them")
	fl.StringArrayVar(&f.lint.vars, "var", nil, "set a design variable: --var name=value (repeatable)")
	return cmd
}

func runDrift(cmd *cobra.Command, path string, f *driftFlags) error {
	var target string
	switch {
	case len(f.compose) > 0 && len(f.kubernetes) > 0:
		return Exit(ExitUsage, "give --compose or --kubernetes, not both")
	case len(f.compose) > 0:
		target = emit.TargetCompose
	case len(f.kubernetes) > 0:
		target = emit.TargetKubernetes
	default:
		return Exit(ExitUsage, "give the deployment: --compose FILE or --kubernetes PATH")
	}
	sev, err := analyze.ParseSeverity(f.lint.failOn)
	if err != nil {
		return Exit(ExitUsage, "--fail-on: %v", err)
	}
	outs, err := parseOutputs(f.lint.formats, lintFormats...)
	if err != nil {
		return err
	}
	var paths []string
	for _, o := range outs {
		if o.path != "-" {
			paths = append(paths, o.path)
		}
	}
	files, err := CheckOutputs(f.lint.force, paths...)
	if err != nil {
		return err
	}
	for i := range outs {
		if outs[i].path != "-" {
			outs[i].file, files = files[0], files[1:]
		}
	}
	d, _, err := LoadDesign(cmd, path, f.lint.vars, false)
	if err != nil {
		return err
	}
	var dep *drift.Deployment
	if target == emit.TargetCompose {
		dep, err = drift.ScanCompose(f.compose)
	} else {
		dep, err = drift.ScanKubernetes(f.kubernetes)
	}
	var inErr *drift.InputError
	if errors.As(err, &inErr) {
		if inErr.Line > 0 {
			return Exit(ExitInvalid, "%v", err)
		}
		return Exit(ExitUsage, "%v", err)
	}
	if err != nil {
		return Exit(ExitInternal, "%v", err)
	}
	findings, err := drift.Check(d, target, dep)
	if err != nil {
		return Exit(ExitInternal, "%v", err)
	}
	// The report's files: the design's and the deployment's, so that the
	// text output shows the lines of both.
	shown := &lang.Design{Files: map[string]*hcl.File{}, System: d.System}
	for name, file := range d.Files {
		shown.Files[name] = file
	}
	for name, src := range dep.Files {
		shown.Files[name] = &hcl.File{Bytes: src}
	}
	rep := &analyze.Report{Design: shown, Suite: drift.Rules, Config: analyze.DefaultConfig(), Findings: findings}
	if err := writeLintOutputs(cmd, outs, nil, rep, nil, &f.lint, true); err != nil {
		return err
	}
	if rep.Fails(sev) {
		return Exit(ExitFindings, "")
	}
	return nil
}
