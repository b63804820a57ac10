// Package cli is what archform's two programs share: the root command, exit
// codes, loading a design and its configuration, writing files, and finding
// the helper programs.
//
// The commands that link only lang, analyze and rules (validate, lint,
// rules, explain, init, version) are defined here, so that both programs
// have them. The archform program (cmd/archform) has only these: it starts
// fast, as a linter run at every commit must. The others (fmt, render,
// report, emit, build, import) link libraries whose package initialisation
// costs every start (hclwrite's go-cmp, image codecs and fonts, compose-go's
// JSON Schema compiler, k8s.io's type registry); they are defined in
// archform-full (cmd/archform-full), which archform runs for them.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes (LANGUAGE.md).
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitInvalid  = 2
	ExitUsage    = 3
	ExitInternal = 4
)

// Version is archform's release; LanguageVersion is the version of
// LANGUAGE.md it reads.
const (
	Version         = "1.0.0-dev"
	LanguageVersion = 1
)

// exitError carries an exit code out of a command. Its message, if any, has
// not been printed yet.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Exit returns an error that makes Run exit with code after printing the
// message (nothing when format is empty: the command printed what it had to
// say).
func Exit(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

// commands is filled by each command's file (lint.go, emit.go, ...) through
// Register in an init function, so that each area owns its command file.
var commands []func() *cobra.Command

// Register adds commands to the root command of this program.
func Register(mk ...func() *cobra.Command) { commands = append(commands, mk...) }

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "archform",
		Short: "Compile, lint, draw and deploy architecture designs",
		Long: "archform compiles a system's architecture, written in HCL, into a typed graph;\n" +
			"lints it for single points of failure, capacity gaps and consistency conflicts;\n" +
			"draws it; and emits Docker Compose and Kubernetes manifests.",
		// We print errors ourselves in Run.
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return Exit(ExitUsage, "%v\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	for _, mk := range commands {
		root.AddCommand(mk())
	}
	return root
}

// Main runs the registered commands with os.Args and returns the exit code.
func Main() int { return Run(os.Args[1:], os.Stdout, os.Stderr) }

// Run runs the registered commands with args and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "archform:", ee.msg)
		}
		return ee.code
	}
	// Cobra's own errors (unknown command, wrong number of args) are usage errors.
	fmt.Fprintln(stderr, "archform:", err)
	return ExitUsage
}

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// ExitCode returns the exit code err carries, if it came from Exit.
func ExitCode(err error) (int, bool) {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code, true
	}
	return 0, false
}

// Command is a command's name and one-line summary, for commands that one
// program runs and the other forwards to it.
type Command struct{ Use, Short string }

// The commands archform-full runs for archform: those that link heavy
// libraries (hclwrite for fmt; images, fonts and templates for render and
// report; compose-go and k8s.io for emit, build and import).
var (
	Build  = Command{Use: "build PATH -o DIR", Short: "Lint, draw and emit in one run"}
	Emit   = Command{Use: "emit compose|kubernetes PATH -o DIR", Short: "Write Docker Compose or Kubernetes manifests that deploy the design"}
	Fmt    = Command{Use: "fmt [-check] [-diff] [PATH...]", Short: "Rewrite design files in the canonical style"}
	Import = Command{Use: "import compose|kubernetes FILE|DIR... -o DIR", Short: "Write a design from Docker Compose files or Kubernetes manifests"}
	Render = Command{Use: "render PATH", Short: "Draw the design as DOT, SVG, PNG or a Mermaid flowchart"}
	Report = Command{Use: "report PATH", Short: "Write a self-contained HTML report: diagram, findings, figures"}

	FullCommands = []Command{Build, Emit, Fmt, Import, Render, Report}
)
