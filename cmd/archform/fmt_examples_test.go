package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/archform/archform/cmd/internal/cli"
)

// TestExamplesAreFormatted: every example design under testdata passes
// `archform fmt -check`, as a user's copy of one must in pre-commit.
func TestExamplesAreFormatted(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		n++
		var stdout, stderr bytes.Buffer
		if code := run([]string{"fmt", "-check", dir}, &stdout, &stderr); code != cli.ExitOK {
			t.Errorf("archform fmt -check %s exits %d:\n%s%s", dir, code, stdout.String(), stderr.String())
		}
	}
	if n < 10 {
		t.Errorf("found %d example directories, want at least 10", n)
	}
}
