package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes (LANGUAGE.md).
const (
	exitOK       = 0
	exitFindings = 1
	exitInvalid  = 2
	exitUsage    = 3
	exitInternal = 4
)

// exitError carries an exit code out of a command. Its message, if any, has
// not been printed yet.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// exitCode returns an error that makes Main exit with code after printing msg
// (nothing when msg is empty: the command printed what it had to say).
func exitCode(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

// subcommands is filled by each command's file (render.go, emit.go, ...) in an
// init function, so that each area owns its own command file.
var subcommands []func() *cobra.Command

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "archform",
		Short: "Compile, lint, draw and deploy architecture designs",
		Long: "archform compiles a system's architecture, written in HCL, into a typed graph;\n" +
			"lints it for single points of failure, capacity gaps and consistency conflicts;\n" +
			"draws it; and emits Docker Compose and Kubernetes manifests.",
		// We print errors ourselves in Main.
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return exitCode(exitUsage, "%v\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	for _, mk := range subcommands {
		root.AddCommand(mk())
	}
	return root
}

// Main runs archform with os.Args and returns the exit code.
func Main() int { return run(os.Args[1:], os.Stdout, os.Stderr) }

func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
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
	return exitUsage
}
