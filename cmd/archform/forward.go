package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/spf13/cobra"
)

// fmt, render, report, emit, build and import run archform-full: this
// program does not link the libraries they need, whose initialisation would
// more than double the start-up of every lint (see package cli).
func init() {
	for _, c := range cli.FullCommands {
		cli.Register(forwarder(c))
	}
}

func forwarder(c cli.Command) func() *cobra.Command {
	return func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   c.Use,
			Short: c.Short,
			// archform-full parses the arguments and prints the help.
			DisableFlagParsing: true,
			RunE: func(cmd *cobra.Command, args []string) error {
				return forward(cmd, append([]string{cmd.Name()}, args...))
			},
		}
		// Shell completion asks archform-full, which knows the flags.
		cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return complete(cmd, append(append([]string{cobra.ShellCompRequestCmd, cmd.Name()}, args...), toComplete))
		}
		// `archform help emit` prints archform-full's help of emit.
		cmd.SetHelpFunc(func(cmd *cobra.Command, _ []string) {
			// An error with no message: archform-full has printed it.
			if err := forward(cmd, []string{cmd.Name(), "--help"}); err != nil && err.Error() != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "archform:", err)
			}
		})
		return cmd
	}
}

// forward runs archform-full with args on this process's standard
// streams and exits with its exit code.
func forward(cmd *cobra.Command, args []string) error {
	run, err := cli.Full.Command(cmd.Context(), args...)
	if err != nil {
		return cli.Exit(cli.ExitInternal, "%s: %v", cmd.Name(), err)
	}
	run.Stdin, run.Stdout, run.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	err = run.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.ExitCode() > 0:
		return cli.Exit(ee.ExitCode(), "")
	case err != nil:
		return cli.Exit(cli.ExitInternal, "running %s: %v", run.Path, err)
	}
	return nil
}

// complete runs archform-full's completion request (cobra's __complete) and
// returns its completions and directive: the completion lines, then ":N".
func complete(cmd *cobra.Command, args []string) ([]string, cobra.ShellCompDirective) {
	run, err := cli.Full.Command(cmd.Context(), args...)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	out, err := run.Output()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	last := lines[len(lines)-1]
	directive, err := strconv.Atoi(strings.TrimPrefix(last, ":"))
	if !strings.HasPrefix(last, ":") || err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return lines[:len(lines)-1], cobra.ShellCompDirective(directive)
}
