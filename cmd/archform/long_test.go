package main

import (
	"flag"
	"os"
)

// long reports whether the long tests run in full: under CI (which sets CI)
// or with ARCHFORM_LONG=1. Otherwise they run a sample, so that go test ./...
// stays quick on a developer's machine.
func long() bool { return os.Getenv("CI") != "" || os.Getenv("ARCHFORM_LONG") == "1" }

// fuzzing reports whether go test was asked to fuzz (-fuzz).
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}
