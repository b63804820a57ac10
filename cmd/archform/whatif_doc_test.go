package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestWhatIfDoc runs every command shown in docs/whatif.md and checks that
// the page shows its output as the program prints it.
func TestWhatIfDoc(t *testing.T) {
	doc, err := os.ReadFile("../../docs/whatif.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(doc), "```console\n")[1:]
	if len(blocks) < 3 {
		t.Fatalf("docs/whatif.md shows %d commands, want at least 3", len(blocks))
	}
	for _, b := range blocks {
		body, _, _ := strings.Cut(b, "```")
		cmdline, want, _ := strings.Cut(body, "\n")
		args := strings.Fields(strings.TrimPrefix(cmdline, "$ archform "))
		for i, a := range args {
			if strings.HasPrefix(a, "testdata/") {
				args[i] = "../../" + a
			}
		}
		var stdout, stderr bytes.Buffer
		run(args, &stdout, &stderr)
		if got := stdout.String(); got != want {
			t.Errorf("%s: docs/whatif.md shows\n%s\nthe program prints\n%s", cmdline, want, got)
		}
	}
}
