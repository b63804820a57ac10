// Command archform-manifests runs archform's commands that read and write
// Docker Compose and Kubernetes manifests: emit, build and import. The
// archform command runs it for them (it is found next to archform, on PATH,
// through $ARCHFORM_MANIFESTS, or built on demand from source), so that
// archform itself does not link compose-go and k8s.io, whose package
// initialisation would more than double the start-up of every lint.
//
// Usage:
//
//	archform-manifests emit|build|import ARGS...  (as archform emit|build|import)
//	archform-manifests -protocol
package main

import (
	"fmt"
	"os"

	"github.com/archform/archform/cmd/internal/cli"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-protocol" {
		fmt.Println(cli.Manifests.Protocol)
		return
	}
	os.Exit(cli.Main())
}
