package main

import (
	"errors"
	"fmt"
	"github.com/archform/archform/lintcmd/format"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/emit"
	"github.com/archform/archform/internal/safewrite"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
	"github.com/spf13/cobra"
)

func newEmitCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "emit compose|kubernetes PATH -o DIR",
		Short: "Write Docker Compose or Kubernetes manifests that deploy the design",
		Long: "emit writes the design as deployment manifests, validated before anything is written.\n" +
			"What a target cannot express (async replication without an operator, zones in Compose,\n" +
			"a canary rollout, ...) is reported as findings of the emit-compose or emit-kubernetes\n" +
			"rule, printed like lint's; emit exits as lint does (1 when a finding reaches --fail-on).",
		Args: cobra.ArbitraryArgs,
		// An unknown target's own flags (-o DIR) must not hide the real mistake.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
				return cmd.Help()
			}
			if len(args) == 0 {
				return cli.Exit(cli.ExitUsage, "emit needs a target: archform emit compose|kubernetes PATH -o DIR")
			}
			return cli.Exit(cli.ExitUsage, "unknown emit target %q: want compose or kubernetes", args[0])
		},
	}
	cmd.AddCommand(newEmitTargetCmd(emit.TargetCompose), newEmitTargetCmd(emit.TargetKubernetes))
	return cmd
}

type emitFlags struct {
	out        string
	hostMemory string
	hostCPUs   string
	ingClass   string
	clientCA   string
	tlsSecret  string
	force      bool
	singleFile bool
	vars       []string
	format     string
	failOn     string
}

func newEmitTargetCmd(target string) *cobra.Command {
	var flags emitFlags
	cmd := &cobra.Command{
		Use:  target + " PATH -o DIR",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEmit(cmd, target, args[0], &flags)
		},
	}
	switch target {
	case emit.TargetCompose:
		cmd.Short = "Write compose.yaml (and a HAProxy configuration per load balancer) into DIR"
		cmd.Example = "  archform emit compose testdata/shop -o deploy/compose\n" +
			"  archform emit compose testdata/search -o deploy/compose --host-memory 64Gi --host-cpus 16"
		cmd.Flags().StringVar(&flags.hostMemory, "host-memory", emit.DefaultHostMemory, "memory of the one Docker host the project runs on: more needed is a finding")
		cmd.Flags().StringVar(&flags.hostCPUs, "host-cpus", emit.DefaultHostCPUs, "CPUs of the one Docker host the project runs on: more needed is a finding")
	case emit.TargetKubernetes:
		cmd.Short = "Write one Kubernetes manifest per object (or one file) into DIR"
		cmd.Example = "  archform emit kubernetes testdata/shop -o deploy/kubernetes\n" +
			"  archform emit kubernetes testdata/shop -o deploy/kubernetes --single-file"
		cmd.Flags().BoolVar(&flags.singleFile, "single-file", false, "write every object into DIR/"+emit.SingleFileName)
		cmd.Flags().StringVar(&flags.ingClass, "ingress-class", "", "ingressClassName of every Ingress (none: a finding)")
		cmd.Flags().StringVar(&flags.tlsSecret, "tls-secret", "", "Secret (kubernetes.io/tls) every Ingress serves HTTPS with (default: NAME-tls where the design states tls, else a finding)")
		cmd.Flags().StringVar(&flags.clientCA, "client-ca-secret", "", "NAMESPACE/NAME of the Secret (ca.crt) an Ingress checks client certificates with, for entries with auth = \"mtls\" (none: a finding)")
	}
	cmd.Flags().StringVarP(&flags.out, "output", "o", "", "directory to write the manifests into (required)")
	cmd.Flags().BoolVar(&flags.force, "force", false, "overwrite files that archform did not generate")
	cmd.Flags().StringArrayVar(&flags.vars, "var", nil, "set a variable: --var name=value (repeatable)")
	cmd.Flags().StringVar(&flags.format, "format", "text", "findings format: text or json")
	cmd.Flags().StringVar(&flags.failOn, "fail-on", "", "lowest severity that makes emit exit 1: error, warning, info or none (default: the configuration's, else error)")
	return cmd
}

// runEmit loads the design, emits the target (validated in memory), reports
// the emit-* findings through the lint engine (so configuration and
// suppression comments apply), then writes the files.
func runEmit(cmd *cobra.Command, target, path string, flags *emitFlags) error {
	if flags.out == "" {
		return cli.Exit(cli.ExitUsage, "emit %s needs -o DIR", target)
	}
	if flags.format != "text" && flags.format != "json" {
		return cli.Exit(cli.ExitUsage, "--format %q: want text or json", flags.format)
	}
	d, _, err := cli.LoadDesign(cmd, path, flags.vars, false)
	if err != nil {
		return err
	}
	cfg, err := cli.LoadConfig(cmd, path, "")
	if err != nil {
		return err
	}
	if err := cli.ApplyFailOn(cfg, flags.failOn); err != nil {
		return err
	}
	opts := emit.Options{SingleFile: flags.singleFile, HostMemory: flags.hostMemory, HostCPUs: flags.hostCPUs,
		OutputDir: flags.out, IngressClass: flags.ingClass, TLSSecret: flags.tlsSecret, ClientCASecret: flags.clientCA}
	if err := opts.Check(); err != nil {
		return cli.Exit(cli.ExitUsage, "%v", err)
	}
	if opts.Results, err = analyze.ComputeSafe(d); err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	var r *emit.Result
	if target == emit.TargetCompose {
		r, err = emit.Compose(d, opts)
	} else {
		r, err = emit.Kubernetes(d, opts)
	}
	if err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	rep, err := emitReport(d, cfg, r)
	if err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	if flags.format == "json" {
		err = format.WriteJSON(cmd.OutOrStdout(), rep, nil)
	} else {
		err = format.WriteText(cmd.OutOrStdout(), rep, format.TextOptions{Color: cli.IsTerminal(cmd.OutOrStdout())})
	}
	if err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	if err := writeFiles(cmd, []emit.Output{{Dir: flags.out, Result: r}}, flags.force); err != nil {
		return err
	}
	if rep.Fails(cfg.FailOnSeverity()) {
		return cli.Exit(cli.ExitFindings, "")
	}
	return nil
}

// emitReport passes the emitter's findings through the lint engine: the
// configuration's severities and the design's suppression comments apply.
// The lint rules are in the suite (so that suppressions naming them are not
// "unknown") but disabled: emit does not lint.
func emitReport(d *lang.Design, cfg *analyze.Config, results ...*emit.Result) (*analyze.Report, error) {
	run := *cfg
	run.Rules = map[string]*analyze.RuleConfig{}
	for id, rc := range cfg.Rules {
		run.Rules[id] = rc
	}
	off := false
	var suite []*analyze.Analyzer
	for _, a := range append(append([]*analyze.Analyzer{}, rules.All...), emit.Rules...) {
		ran := false
		for _, r := range results {
			if r.Analyzer().ID == a.ID {
				suite = append(suite, r.Analyzer())
				ran = true
			}
		}
		if ran {
			continue
		}
		suite = append(suite, a)
		rc := &analyze.RuleConfig{ID: a.ID}
		if old := cfg.Rules[a.ID]; old != nil {
			copied := *old
			rc = &copied
		}
		rc.Enabled = &off
		run.Rules[a.ID] = rc
	}
	return analyze.Run(d, suite, &run)
}

// writeFiles writes the outputs (see writeError for the exit codes).
func writeFiles(cmd *cobra.Command, outputs []emit.Output, force bool) error {
	_, removed, err := emit.Write(outputs, force)
	if err != nil {
		return writeError(err)
	}
	for _, o := range outputs {
		fmt.Fprintf(cmd.ErrOrStderr(), "archform: wrote %d %s file(s) to %s\n", len(o.Result.Files), o.Result.Target, o.Dir)
	}
	if len(removed) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "archform: removed %d stale file(s): %s\n", len(removed), strings.Join(removed, ", "))
	}
	return nil
}

// writeError maps an error of emit.Write to an exit code: a file in the way
// that archform did not generate, a file where a directory must be, a lock
// held by another run, or anything else the environment is to blame for
// (safewrite.IsEnvironment: permissions, a full disk, a link loop) is the
// user's to fix (3); anything else is internal (4).
func writeError(err error) error {
	var ff *emit.ForeignFileError
	if errors.As(err, &ff) || safewrite.IsEnvironment(err) {
		return cli.Exit(cli.ExitUsage, "%v", err)
	}
	return cli.Exit(cli.ExitInternal, "writing: %v", err)
}
