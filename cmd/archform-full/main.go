// Command archform-full is archform with every command linked in. The
// archform command runs it for fmt, render, report, emit, build and import
// (it is found next to archform, on PATH, through $ARCHFORM_FULL, or built
// on demand from source), so that archform itself links only lang, analyze
// and rules and starts fast: the libraries these commands need (hclwrite,
// image codecs and fonts, compose-go, k8s.io) cost every program that links
// them time at start-up.
//
// Usage:
//
//	archform-full COMMAND ARGS...   (as archform COMMAND ARGS...)
//	archform-full -protocol
package main

import (
	"fmt"
	"os"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/cmd/internal/program"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-protocol" {
		fmt.Println(cli.Full.Protocol)
		return
	}
	if err := program.CheckProtocol(cli.Full.Protocol); err != nil {
		fmt.Fprintln(os.Stderr, "archform:", err)
		os.Exit(cli.ExitInternal)
	}
	os.Exit(cli.Main())
}
