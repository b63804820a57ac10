package cli

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// shopExample is the language's canonical example (docs/language.md) (testdata/shop), the design
// `archform init` writes. TestInitExampleIsTheShop keeps the two equal.
//
//go:embed shop.arch.hcl
var shopExample []byte

func NewInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Write the example design (the shop) into DIR",
		Long: "init writes archform's example design, an online shop (testdata/shop in the repository), to DIR/shop.arch.hcl.\n" +
			"It creates DIR if needed and never overwrites an existing file.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return Exit(ExitUsage, "%v", err)
			}
			path := filepath.Join(dir, "shop.arch.hcl")
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if os.IsExist(err) {
				return Exit(ExitUsage, "%s already exists; init never overwrites a file", path)
			}
			if err != nil {
				return Exit(ExitUsage, "%v", err)
			}
			if _, err := f.Write(shopExample); err != nil {
				f.Close()
				os.Remove(path)
				return Exit(ExitInternal, "writing %s: %v", path, err)
			}
			if err := f.Close(); err != nil {
				os.Remove(path)
				return Exit(ExitInternal, "writing %s: %v", path, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s. Try: archform lint %s\n", path, dir)
			return nil
		},
	}
}
