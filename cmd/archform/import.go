package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/importer"
	"github.com/archform/archform/lang"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
)

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import compose|kubernetes FILE|DIR... -o DIR",
		Short: "Write a design from Docker Compose files or Kubernetes manifests",
		Long: "import reads what already runs and writes it as a design, DIR/SYSTEM.arch.hcl: each container\n" +
			"as the component its image says (postgres a database, redis a cache, nginx a load balancer,\n" +
			"...), with its replicas, ports, environment, health check and volume; dependencies as calls.\n" +
			"Secret-looking values become secret references and are never copied. A header comment lists\n" +
			"what was guessed and what to fill in (capacity, latency, flows, zones, client traffic).\n" +
			"Input that is not valid Compose or Kubernetes YAML exits 2 and writes nothing; an existing\n" +
			"design in DIR is not overwritten without --force. -o - prints the design instead.",
	}
	cmd.AddCommand(newImportTargetCmd("compose"), newImportTargetCmd("kubernetes"))
	return cmd
}

type importFlags struct {
	out   string
	force bool
}

func newImportTargetCmd(target string) *cobra.Command {
	var flags importFlags
	cmd := &cobra.Command{
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, target, args, &flags)
		},
	}
	switch target {
	case "compose":
		cmd.Use = "compose FILE|DIR... -o DIR"
		cmd.Short = "Import a Compose project (several files merge as with docker compose -f)"
		cmd.Example = "  archform import compose . -o design\n" +
			"  archform import compose docker-compose.yml -o design\n" +
			"  archform import compose compose.yaml compose.prod.yaml -o design"
	default:
		cmd.Use = "kubernetes FILE|DIR... -o DIR"
		cmd.Short = "Import Kubernetes manifests (Deployments, StatefulSets, Services, Ingresses, HPAs, ...)"
		cmd.Example = "  archform import kubernetes k8s/ -o design\n" +
			"  archform import kubernetes release/kubernetes-manifests.yaml -o -"
	}
	cmd.Flags().StringVarP(&flags.out, "output", "o", "", "directory to write the design into, or - for stdout (required)")
	cmd.Flags().BoolVar(&flags.force, "force", false, "overwrite a design of the same name in DIR")
	return cmd
}

func runImport(cmd *cobra.Command, target string, args []string, flags *importFlags) error {
	if flags.out == "" {
		return cli.Exit(cli.ExitUsage, "import %s needs -o DIR", target)
	}
	// compose-go warns through logrus (an obsolete version attribute, ...):
	// print its warnings as archform's own.
	logrus.SetOutput(cmd.ErrOrStderr())
	logrus.SetFormatter(warningFormatter{})
	var (
		r   *importer.Result
		err error
	)
	if target == "compose" {
		r, err = importer.Compose(args)
	} else {
		r, err = importer.Kubernetes(args)
	}
	var ie *importer.InputError
	switch {
	case errors.As(err, &ie):
		return cli.Exit(cli.ExitInvalid, "%v", err)
	case err != nil:
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	if flags.out == "-" {
		_, err := cmd.OutOrStdout().Write(r.Source)
		if err != nil {
			return cli.StdoutError(err)
		}
		return nil
	}
	path := filepath.Join(flags.out, r.FileName)
	if err := checkImportDir(flags.out, r.FileName, flags.force); err != nil {
		return err
	}
	if err := os.MkdirAll(flags.out, 0o755); err != nil {
		return cli.Exit(cli.ExitInternal, "%v", err)
	}
	// checkImportDir decided whether the design may be replaced: write it
	// as every other output is (through a symbolic link, atomically).
	outs, err := cli.CheckOutputs(true, path)
	if err != nil {
		return err
	}
	outs[0].Data = r.Source
	if err := cli.WriteOutputs(outs...); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "archform: wrote %s (%s); read its header, fill in what it lists, then run: archform lint %s\n",
		path, lang.Count(r.Components, "component", "components"), flags.out)
	return nil
}

// checkImportDir refuses to write where a design already is: a file of the
// same name (unless force), or other design files, which would join the
// imported design (a design is every *.arch.hcl file of its directory).
func checkImportDir(dir, name string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return cli.Exit(cli.ExitUsage, "-o %s: %v", dir, err)
	}
	var others []string
	for _, e := range entries {
		switch {
		case e.IsDir() || !lang.IsDesignFile(e.Name()):
		case e.Name() == name:
			if !force {
				return cli.Exit(cli.ExitUsage, "refusing to overwrite %s: a design is already there (use --force to overwrite)", filepath.Join(dir, name))
			}
		default:
			others = append(others, e.Name())
		}
	}
	if len(others) > 0 {
		return cli.Exit(cli.ExitUsage, "refusing to write into %s: it holds another design (%s), which the imported one would join; choose another -o",
			dir, strings.Join(others, ", "))
	}
	return nil
}

// warningFormatter prints a logrus entry as "archform: warning: MESSAGE".
type warningFormatter struct{}

func (warningFormatter) Format(e *logrus.Entry) ([]byte, error) {
	return []byte("archform: " + e.Level.String() + ": " + e.Message + "\n"), nil
}
