// Command archform compiles, lints, draws and deploys architecture designs.
//
// It validates and lints in-process; fmt, render, report, emit, build and
// import run archform-full (see forward.go), so that this program links only
// lang, analyze and rules, and starts fast.
package main

import (
	"os"

	"github.com/archform/archform/cmd/internal/cli"
)

func main() { os.Exit(cli.Main()) }
