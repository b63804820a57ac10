package main

import (
	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/lsp"
	"github.com/archform/archform/rules"
	"github.com/spf13/cobra"
)

// newLSPCmd is `archform lsp`: the language server, for editors.
func newLSPCmd() *cobra.Command {
	var stdio bool
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server for editors (LSP over standard input and output)",
		Long: "lsp speaks the Language Server Protocol over standard input and output, for\n" +
			"*.arch.hcl, *.arch.json and .archform.hcl files: diagnostics and lint findings as you\n" +
			"type, completion, hover with each component's figures, go to definition, find\n" +
			"references, rename, formatting and quick fixes. Editors start it; see docs/editor.md.\n" +
			"It logs to standard error. Exit codes follow the protocol: 0 after the client's\n" +
			"shutdown and exit, 1 when the client goes away without them.",
		Example: "  archform lsp    # started by the editor, not by hand",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := lsp.Serve(cmd.InOrStdin(), cmd.OutOrStdout(), lsp.Options{
				Log:        cmd.ErrOrStderr(),
				Version:    cli.Version,
				Rules:      rules.All,
				KnownRules: cli.KnownRules(),
			})
			if err != nil {
				return cli.Exit(1, "archform lsp: %v", err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&stdio, "stdio", false, "talk over standard input and output (the only transport; accepted for clients that pass it)")
	return cmd
}
