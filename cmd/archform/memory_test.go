package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/archform/archform/lang/designgen"
)

// TestOutOfMemoryExits3 (issue 15 item 8): a run that needs more memory
// than it may use ends with exit 3 (the environment's limit) and one line
// that says so, never the runtime's "fatal error: runtime: out of memory"
// with every goroutine's stack and exit 2 (an invalid design's code).
func TestOutOfMemoryExits3(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the memory guard reads /proc: Linux only")
	}
	bin := archformBinary(t)
	dir := t.TempDir()
	design := filepath.Join(dir, "big.arch.hcl")
	size := 1000
	if long() {
		size = 3000
	}
	if err := os.WriteFile(design, designgen.Generate(size, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, cmd *exec.Cmd, source string) {
		t.Helper()
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 {
			t.Fatalf("%v: %v, want exit 3\n%.2000s", cmd.Args, err, stderr.Bytes())
		}
		msg := stderr.String()
		if !strings.HasPrefix(msg, "archform: out of memory: this run used ") || !strings.Contains(msg, source) ||
			strings.Count(msg, "\n") != 1 {
			t.Errorf("%v: not one clear line naming %s:\n%.2000s", cmd.Args, source, msg)
		}
	}

	t.Run("ARCHFORM_MAX_MEMORY", func(t *testing.T) {
		cmd := exec.Command(bin, "lint", design, "--format", "json")
		cmd.Env = append(os.Environ(), "ARCHFORM_MAX_MEMORY=40Mi")
		check(t, cmd, "ARCHFORM_MAX_MEMORY")
	})
	t.Run("not a quantity", func(t *testing.T) {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), "ARCHFORM_MAX_MEMORY=lots")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 || !strings.Contains(string(out), `ARCHFORM_MAX_MEMORY="lots": want a positive quantity`) {
			t.Errorf("ARCHFORM_MAX_MEMORY=lots: %v\n%s", err, out)
		}
	})
	// Under an address-space limit (ulimit -v) the runtime's allocations
	// fail: archform must stop first. The limit is set 256 MiB above what
	// an idle archform maps, which the lint of 10,000 components outgrows
	// (the guard stops it 128 MiB short of the limit; since lint leaves the
	// syntax tree out it maps some 140-200 MiB more than an idle archform,
	// so that 320 MiB let it finish now and then); slow on two cores, so
	// under CI only.
	t.Run("ulimit -v", func(t *testing.T) {
		if !long() {
			t.Skip("runs under CI or ARCHFORM_LONG=1 (a large design's lint)")
		}
		if _, err := exec.LookPath("sh"); err != nil {
			t.Skip("no sh to set ulimit -v")
		}
		base := idleAddressSpace(t, bin)
		large := filepath.Join(dir, "large.arch.hcl")
		if err := os.WriteFile(large, designgen.Generate(10000, 1), 0o644); err != nil {
			t.Fatal(err)
		}
		limitKB := (base + 256<<20) >> 10
		cmd := exec.Command("sh", "-c", fmt.Sprintf(`ulimit -v %d && exec "$0" lint "$1" --format json`, limitKB), bin, large)
		check(t, cmd, "ulimit -v")
	})
}

// idleAddressSpace is the address space, in bytes, of an archform that has
// started and waits (the language server, on an open standard input).
func idleAddressSpace(t *testing.T, bin string) uint64 {
	t.Helper()
	cmd := exec.Command(bin, "lsp")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		in.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}()
	var size uint64
	for range 50 {
		time.Sleep(20 * time.Millisecond)
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", cmd.Process.Pid))
		if err != nil {
			continue
		}
		if f := strings.Fields(string(data)); len(f) > 0 {
			if pages, err := strconv.ParseUint(f[0], 10, 64); err == nil {
				size = max(size, pages*uint64(os.Getpagesize()))
			}
		}
	}
	if size == 0 {
		t.Fatal("could not read the language server's address space")
	}
	return size
}
