package main

import (
	"os"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/emit"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

// knownRules is every rule a configuration or suppression may name: the
// suppression rule, the lint suite and the emit-* rules.
func knownRules() []*analyze.Analyzer {
	all := []*analyze.Analyzer{analyze.SuppressionAnalyzer}
	all = append(all, rules.All...)
	return append(all, emit.Rules...)
}

// parseVars turns --var name=value flags into load options.
func parseVars(kvs []string) (lang.Options, error) {
	opts := lang.Options{Vars: map[string]string{}}
	for _, kv := range kvs {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return opts, exitCode(exitUsage, "--var %q: want name=value", kv)
		}
		opts.Vars[name] = val
	}
	return opts, nil
}

// loadDesign loads the design at path and prints its diagnostics to stderr.
// An invalid design is an exit-2 error (the diagnostics are already printed);
// the diagnostics are returned too, for writers that print them themselves.
func loadDesign(cmd *cobra.Command, path string, kvs []string, quiet bool) (*lang.Design, hcl.Diagnostics, error) {
	opts, err := parseVars(kvs)
	if err != nil {
		return nil, nil, err
	}
	d, diags := lang.Load(path, opts)
	if len(diags) > 0 && !quiet {
		stderr := cmd.ErrOrStderr()
		var files map[string]*hcl.File
		if d != nil {
			files = d.Files
		}
		lang.WriteDiagnostics(stderr, files, diags, isTerminal(stderr))
	}
	if diags.HasErrors() || d == nil {
		return d, diags, exitCode(exitInvalid, "")
	}
	return d, diags, nil
}

// loadConfig finds and loads the lint configuration for the design at path
// (explicit names a file, as --config does). A bad configuration prints its
// diagnostics and is a usage error (exit 3).
func loadConfig(cmd *cobra.Command, path, explicit string) (*analyze.Config, error) {
	cfgPath := explicit
	if cfgPath == "" {
		found, err := analyze.FindConfig(path)
		if err != nil {
			return nil, exitCode(exitUsage, "%v", err)
		}
		cfgPath = found
	}
	if cfgPath == "" {
		return analyze.DefaultConfig(), nil
	}
	cfg, diags := analyze.LoadConfig(cfgPath, knownRules())
	if diags.HasErrors() || cfg == nil {
		var files map[string]*hcl.File
		if src, err := os.ReadFile(cfgPath); err == nil {
			files = map[string]*hcl.File{cfgPath: {Bytes: src}}
		}
		stderr := cmd.ErrOrStderr()
		lang.WriteDiagnostics(stderr, files, diags, isTerminal(stderr))
		return nil, exitCode(exitUsage, "")
	}
	return cfg, nil
}

// applyFailOn sets the configuration's --fail-on threshold from the flag's
// value ("" leaves the configuration's own).
func applyFailOn(cfg *analyze.Config, flag string) error {
	if flag == "" {
		return nil
	}
	sev, err := analyze.ParseSeverity(flag)
	if err != nil {
		return exitCode(exitUsage, "--fail-on: %v", err)
	}
	cfg.SetFailOn(sev, "--fail-on")
	return nil
}
