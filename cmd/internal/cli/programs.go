package cli

import "github.com/archform/archform/cmd/internal/program"

// Graphviz lays out DOT with go-graphviz, whose package initialisation
// compiles Graphviz's WebAssembly module at every start (48-87 ms): archform
// runs it as a helper program so that lint and every other command start
// without it.
var Graphviz = &program.Program{
	Name:     "archform-graphviz",
	Env:      "ARCHFORM_GRAPHVIZ",
	Protocol: program.GraphvizProtocol,
	Purpose:  "the Graphviz helper",
	Sources:  program.GraphvizSources,
	Install:  "go install ./cmd/... in a clone of archform installs it with archform",
	// Compiling go-graphviz and wazero on a 2-core machine with the
	// standard library already compiled.
	BuildSeconds: 60,
}
