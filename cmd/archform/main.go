// Command archform compiles, lints, draws and deploys architecture designs.
//
// It lints, formats and draws in-process; emit, build and import run
// archform-manifests (see forward.go), so that this program does not link
// the Compose and Kubernetes libraries and starts fast.
package main

import (
	"os"

	"github.com/archform/archform/cmd/internal/cli"
)

func main() { os.Exit(cli.Main()) }
