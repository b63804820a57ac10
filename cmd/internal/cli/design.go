package cli

import (
	"errors"
	"github.com/archform/archform/lintcmd/config"
	"io/fs"
	"os"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/drift"
	"github.com/archform/archform/emit/rule"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

// KnownRules is every rule a configuration or suppression may name: the
// suppression rule, the lint suite, the emit-* rules and the drift-* rules.
func KnownRules() []*analyze.Analyzer {
	all := []*analyze.Analyzer{analyze.SuppressionAnalyzer}
	all = append(all, rules.All...)
	all = append(all, rule.All...)
	return append(all, drift.Rules...)
}

// LoadOptions are the load options of every command that reads a design:
// its --var name=value flags, and the syntax left out (DropSyntax): no
// command reads a design's syntax after decoding it (snippets need the
// files' bytes, suppressions and headings their outlines), and leaving it
// out keeps lint of 10,000 components some 60 MB smaller. The language
// server, which keeps its files parsed, loads with options of its own.
func LoadOptions(kvs []string) (lang.Options, error) {
	opts := lang.Options{Vars: map[string]string{}, DropSyntax: true}
	for _, kv := range kvs {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return opts, Exit(ExitUsage, "--var %q: want name=value", kv)
		}
		opts.Vars[name] = val
	}
	return opts, nil
}

// LoadDesign loads the design at path and prints its diagnostics to stderr.
// A path that does not exist is a usage error (CheckDesignPath), checked
// first; an invalid design is an exit-2 error (the diagnostics are already printed);
// the diagnostics are returned too, for writers that print them themselves.
func LoadDesign(cmd *cobra.Command, path string, kvs []string, quiet bool) (*lang.Design, hcl.Diagnostics, error) {
	if err := CheckDesignPath(path); err != nil {
		return nil, nil, err
	}
	opts, err := LoadOptions(kvs)
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
		lang.WriteDiagnostics(stderr, files, diags, IsTerminal(stderr))
	}
	if diags.HasErrors() || d == nil {
		return d, diags, Exit(ExitInvalid, "")
	}
	return d, diags, nil
}

// LoadConfig finds and loads the lint configuration for the design at path
// (explicit names a file, as --config does). A bad configuration prints its
// diagnostics and is a usage error (exit 3).
func LoadConfig(cmd *cobra.Command, path, explicit string) (*analyze.Config, error) {
	cfgPath := explicit
	if cfgPath == "" {
		found, err := config.Find(path)
		if err != nil {
			return nil, Exit(ExitUsage, "%v", err)
		}
		cfgPath = found
	}
	if cfgPath == "" {
		return analyze.DefaultConfig(), nil
	}
	cfg, diags := config.Load(cfgPath, KnownRules())
	if diags.HasErrors() || cfg == nil {
		var files map[string]*hcl.File
		if src, err := os.ReadFile(cfgPath); err == nil {
			files = map[string]*hcl.File{cfgPath: {Bytes: src}}
		}
		stderr := cmd.ErrOrStderr()
		lang.WriteDiagnostics(stderr, files, diags, IsTerminal(stderr))
		return nil, Exit(ExitUsage, "")
	}
	return cfg, nil
}

// ApplyFailOn sets the configuration's --fail-on threshold from the flag's
// value ("" leaves the configuration's own).
func ApplyFailOn(cfg *analyze.Config, flag string) error {
	if flag == "" {
		return nil
	}
	sev, err := analyze.ParseSeverity(flag)
	if err != nil {
		return Exit(ExitUsage, "--fail-on: %v", err)
	}
	cfg.SetFailOn(sev, "--fail-on")
	return nil
}

// CheckDesignPath refuses a design path that does not exist (or cannot be
// looked at) as a usage error, exit 3, as every command that reads a design
// does: no design was given, so none is invalid.
func CheckDesignPath(path string) error {
	_, err := os.Stat(path)
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return Exit(ExitUsage, "%s: %v", path, err)
}
