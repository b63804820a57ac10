package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is archform's release; languageVersion is the version of
// LANGUAGE.md it reads.
const (
	version         = "1.0.0-dev"
	languageVersion = 1
)

func init() { subcommands = append(subcommands, newVersionCmd) }

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print archform's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := version
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
				v = bi.Main.Version
			}
			fmt.Fprintf(cmd.OutOrStdout(), "archform %s (language version %d)\n", v, languageVersion)
			return nil
		},
	}
}
