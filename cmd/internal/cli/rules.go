package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/internal/didyoumean"
	"github.com/spf13/cobra"
)

func NewRulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its default severity and summary",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE\tSEVERITY\tSUMMARY")
			for _, a := range KnownRules() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", a.ID, a.Severity, a.Summary)
			}
			if err := tw.Flush(); err != nil {
				return Exit(ExitInternal, "%v", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "\nRun 'archform explain RULE' for a rule's documentation.")
			return nil
		},
	}
}

func NewExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "explain RULE",
		Short:   "Print a rule's documentation: what it checks, why, how to fix, an example",
		Example: "  archform explain spof",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a := lookupRule(args[0])
			if a == nil {
				msg := fmt.Sprintf("unknown rule %q", args[0])
				if near := nearestRule(args[0]); near != "" {
					msg += fmt.Sprintf("; did you mean %q?", near)
				}
				return Exit(ExitUsage, "%s (run 'archform rules' for the list)", msg)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s (default severity: %s)\n\n%s\n", a.ID, a.Severity, a.Summary)
			if len(a.Params) > 0 {
				fmt.Fprintln(out, "\nParameters (set them in .archform.hcl: rule \""+a.ID+"\" { NAME = VALUE }):")
				for _, p := range a.Params {
					fmt.Fprintf(out, "  %s (default %g): %s\n", p.Name, p.Default, p.Doc)
				}
			}
			fmt.Fprintf(out, "\n%s\n", strings.TrimSpace(a.Doc))
			return nil
		},
	}
}

func lookupRule(id string) *analyze.Analyzer {
	for _, a := range KnownRules() {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// nearestRule is the known rule ID closest to id, when it is a likely typo.
func nearestRule(id string) string {
	var ids []string
	for _, a := range KnownRules() {
		ids = append(ids, a.ID)
	}
	return didyoumean.Nearest(id, ids)
}
