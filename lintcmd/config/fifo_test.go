package config

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO where the configuration file is found is refused at once (reading
// it would block forever), as every input is (lang.ReadInput).
func TestLoadRefusesFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".archform.hcl")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	_, diags := Load(path, nil)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "not a regular file") {
		t.Fatalf("Load of a FIFO: %v", diags)
	}
}
