// Package cli is what archform's commands share: the root command, exit
// codes, loading a design and its configuration, writing files, and finding
// the Graphviz helper; and the commands that need no more than lang, analyze
// and rules (validate, lint, rules, explain, init, version). cmd/archform
// lists every command explicitly in its main.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes (docs/cli.md).
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitInvalid  = 2
	ExitUsage    = 3
	ExitInternal = 4
)

// Version is archform's release; LanguageVersion is the version of
// the language (docs/language.md) it reads.
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

// NewRoot returns the archform root command with these subcommands. Its
// output goes to os.Stdout and os.Stderr unless Run is given others.
func NewRoot(commands ...*cobra.Command) *cobra.Command {
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
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return Exit(ExitUsage, "%v\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(commands...)
	return root
}

// Main runs root with os.Args and returns the exit code.
// The run's memory is watched (guardMemory): past what it may use, it ends
// with exit 3 and a message rather than the runtime's crash.
func Main(root *cobra.Command) int {
	stop, err := guardMemory(os.Stderr)
	if err != nil {
		var ee *exitError
		errors.As(err, &ee)
		fmt.Fprintln(os.Stderr, "archform:", ee.msg)
		return ee.code
	}
	defer stop()
	return Run(root, os.Args[1:], os.Stdout, os.Stderr)
}

// Run runs root with args, printing to stdout and stderr, and returns the
// exit code.
func Run(root *cobra.Command, args []string, stdout, stderr io.Writer) int {
	root.SetOut(stdout)
	root.SetErr(stderr)
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
