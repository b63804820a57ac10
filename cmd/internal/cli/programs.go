package cli

import "github.com/archform/archform/cmd/internal/program"

// Graphviz lays out DOT with go-graphviz, whose package initialisation
// compiles Graphviz's WebAssembly module at every start.
var Graphviz = &program.Program{
	Name:     "archform-graphviz",
	Env:      "ARCHFORM_GRAPHVIZ",
	Protocol: "archform-graphviz 1",
	Purpose:  "the Graphviz layout program",
	Sources:  []string{"cmd/archform-graphviz", "render/graphviz"},
}

// Full is archform with every command: archform runs it for fmt, render,
// report, emit, build and import.
var Full = &program.Program{
	Name:     "archform-full",
	Env:      "ARCHFORM_FULL",
	Protocol: "archform-full 1 " + Version,
	Purpose:  "archform with every command, which runs fmt, render, report, emit, build and import",
	Sources:  []string{"cmd", "lang", "analyze", "rules", "render", "emit"},
}
