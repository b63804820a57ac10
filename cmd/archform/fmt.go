package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/internal/safewrite"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/format"
	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"
)

func newFmtCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "fmt [-check] [-diff] [PATH...]",
		Short: "Rewrite design files in the canonical style",
		Long: "fmt rewrites the *.arch.hcl files at each PATH (a directory or one file; default .) in the\n" +
			"canonical HCL style. A file named as PATH is formatted as HCL whatever its name, except\n" +
			"JSON (which keeps its layout: fmt says so). It refuses to touch a file that does not parse (exit 2).\n" +
			"-check writes nothing and exits 1 listing the files that are not formatted;\n" +
			"-diff prints the changes as a unified diff and, as gofmt -d, writes nothing. Flags take\n" +
			"one dash or two, as in terraform fmt and gofmt.",
		Example: "  archform fmt .\n  archform fmt -check -diff design/",
		// Parsed with Go's flag package so that -check works as in terraform fmt.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
			fs.SetOutput(cmd.ErrOrStderr())
			check := fs.Bool("check", false, "write nothing; exit 1 and list the files that are not formatted")
			diff := fs.Bool("diff", false, "print the changes as a unified diff; write nothing")
			help := fs.Bool("help", false, "show help")
			fs.BoolVar(help, "h", false, "show help")
			if err := fs.Parse(args); err != nil {
				return cli.Exit(cli.ExitUsage, "")
			}
			if *help {
				return cmd.Help()
			}
			paths := fs.Args()
			if len(paths) == 0 {
				paths = []string{"."}
			}
			return runFmt(cmd, paths, *check, *diff)
		},
	}
}

func runFmt(cmd *cobra.Command, paths []string, check, showDiff bool) error {
	var names []string
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	named := map[string]bool{} // files named on the command line
	for _, path := range paths {
		if err := cli.CheckDesignPath(path); err != nil {
			return err
		}
		if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
			named[path] = true
		}
		n, d := lang.DesignFiles(path)
		diags = append(diags, d...)
		for _, name := range n {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	if diags.HasErrors() {
		lang.WriteDiagnostics(cmd.ErrOrStderr(), nil, diags, cli.IsTerminal(cmd.ErrOrStderr()))
		return cli.Exit(cli.ExitInvalid, "")
	}
	// A killed fmt may have left its rewrite half done: finish or undo it
	// first, so that every file is read all old or all new (-check and
	// -diff too: they write nothing of their own).
	if err := safewrite.Recover(linkTargets(names)...); err != nil {
		return cli.WriteError(err)
	}
	type change struct {
		name     string
		old, new []byte
	}
	var changes []change
	files := map[string]*hcl.File{}
	var all hcl.Diagnostics
	for _, name := range names {
		if !strings.HasSuffix(name, lang.SuffixHCL) {
			switch {
			case !named[name]:
				continue // a directory's JSON designs keep their own layout
			case strings.HasSuffix(name, ".json"):
				// Never a silent pass on a file the user named.
				fmt.Fprintf(cmd.ErrOrStderr(), "archform: %s: a JSON design keeps its own layout; fmt leaves it as it is\n", name)
				continue
			}
			// Any other file named on the command line is formatted as HCL,
			// whatever its name, as gofmt formats a file it is given.
		}
		if fi, err := os.Stat(name); err == nil && fi.Size() > lang.MaxFileSize {
			// lang refuses a file over its limit before reading it: ask it
			// for its message (Load stops at the refusal) rather than
			// repeating it. A file that shrank meanwhile is read below.
			if _, d := lang.Load(name, lang.Options{}); d.HasErrors() {
				all = append(all, d...)
				continue
			}
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return cli.Exit(cli.ExitUsage, "%v", err)
		}
		out, d := format.Source(src, name)
		if d.HasErrors() {
			f, _ := lang.ParseFile(src, name)
			if f != nil {
				files[name] = f
			}
			all = append(all, d...)
			continue
		}
		if !bytes.Equal(src, out) {
			changes = append(changes, change{name, src, out})
		}
	}
	if all.HasErrors() {
		// Nothing is rewritten while any file fails to parse.
		lang.WriteDiagnostics(cmd.ErrOrStderr(), files, all, cli.IsTerminal(cmd.ErrOrStderr()))
		return cli.Exit(cli.ExitInvalid, "")
	}
	stdout := cmd.OutOrStdout()
	var rewrite []string
	for _, c := range changes {
		fmt.Fprintln(stdout, c.name)
		if showDiff {
			stdout.Write(diff.Diff(c.name, c.old, c.name+" (formatted)", c.new))
		}
		rewrite = append(rewrite, c.name)
	}
	if check && len(changes) > 0 {
		return cli.Exit(cli.ExitFindings, "")
	}
	if check || showDiff {
		return nil // -diff shows what fmt would do, as gofmt -d: it writes nothing
	}
	// The files are fmt's own input: no overwrite check, but links are
	// followed (a linked design file stays a link) and every file is
	// rewritten or none.
	outs, err := cli.CheckOutputs(true, rewrite...)
	if err != nil {
		return err
	}
	for i, o := range outs {
		o.Data = changes[i].new
	}
	return cli.WriteOutputs(outs...)
}

// linkTargets is names with their symbolic links followed (fmt rewrites
// what a link points to), a name that cannot be resolved as it is.
func linkTargets(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if real, err := filepath.EvalSymlinks(n); err == nil {
			out[i] = real
		}
	}
	return out
}
