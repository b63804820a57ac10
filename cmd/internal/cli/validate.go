package cli

import (
	"fmt"

	"github.com/archform/archform/lang"
	"github.com/spf13/cobra"
)

func NewValidateCmd() *cobra.Command {
	var format string
	var vars []string
	cmd := &cobra.Command{
		Use:   "validate PATH",
		Short: "Check that a design is well-formed",
		Long: "validate decodes the design at PATH (a directory of *.arch.hcl and *.arch.json files,\n" +
			"or one file) and reports every error at once, each with its file, line and column.\n" +
			"It exits 0 when the design is valid, 2 when it is not and 3 when PATH does not exist.",
		Example: "  archform validate testdata/shop\n  archform validate --format json design/",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return Exit(ExitUsage, "unknown --format %q: want text or json", format)
			}
			if format == "json" {
				_, diags, err := LoadDesign(cmd, args[0], vars, true)
				if _, usage := ExitCode(err); usage && !diags.HasErrors() {
					return err // a --var mistake: nothing was loaded
				}
				if werr := lang.WriteDiagnosticsJSON(cmd.OutOrStdout(), diags); werr != nil {
					return Exit(ExitInternal, "%v", werr)
				}
				return err
			}
			d, _, err := LoadDesign(cmd, args[0], vars, false)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "The design %q is valid: %s, %s.\n",
				d.System.Name, lang.Count(len(d.Components), "component", "components"), lang.Count(len(d.Flows), "flow", "flows"))
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringArrayVar(&vars, "var", nil, "set a design variable: --var name=value (repeatable)")
	return cmd
}
