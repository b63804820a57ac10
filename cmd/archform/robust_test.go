package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// TestHugeDesignFile: a 50 MB design file is refused before it is read, by
// every command that loads a design: exit 2, a message naming the file and
// the limit, and next to no memory.
func TestHugeDesignFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "huge.arch.hcl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	line := []byte("# " + strings.Repeat("x", 1021) + "\n")
	for range 50 << 10 { // 50 MiB
		if _, err := f.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"validate", path},
		{"validate", dir},
		{"lint", "--format", "sarif", path},
		{"fmt", "-check", path},
		{"render", path, "-f", "dot", "-o", filepath.Join(dir, "out.dot")},
		{"emit", "compose", path, "-o", filepath.Join(dir, "compose")},
	} {
		var stdout, stderr bytes.Buffer
		alloc := allocated(func() {
			if code := run(args, &stdout, &stderr); code != cli.ExitInvalid {
				t.Errorf("%v: exit %d, want %d\nstderr:\n%s", args, code, cli.ExitInvalid, stderr.Bytes())
			}
		})
		out := stdout.String() + stderr.String()
		if !strings.Contains(out, "huge.arch.hcl is 50.0 MiB") || !strings.Contains(out, "at most 16.0 MiB") {
			t.Errorf("%v: no clear message about the file's size:\n%s", args, out)
		}
		// The file is never read: far less than its size is allocated.
		if alloc > 8<<20 {
			t.Errorf("%v allocated %d MiB for a file it should refuse unread", args, alloc>>20)
		}
	}
	for _, name := range []string{"out.dot", "compose"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s written for a design that could not be read", name)
		}
	}
}

// TestBigDesignFile: a valid generated design of a quarter of the size limit
// (4 MiB, some 8,000 components) validates, and what it allocates grows
// linearly with the design (compared with one a tenth of its size): no
// quadratic copies on big input. (At the limit itself, 16 MiB, validate
// allocates about 3 GiB in all and peaks at 1.5 GB of memory.)
func TestBigDesignFile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 4 MiB design")
	}
	n := 1000
	src := designgen.Generate(n, 1)
	for n = n * lang.MaxFileSize / 4 / len(src); ; n = n * 95 / 100 {
		if src = designgen.Generate(n, 1); len(src) <= lang.MaxFileSize/4 {
			break
		}
	}
	small := designgen.Generate(n/10, 1)
	validate := func(src []byte) uint64 {
		path := filepath.Join(t.TempDir(), "big.arch.hcl")
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		alloc := allocated(func() {
			if code := run([]string{"validate", path}, &stdout, &stderr); code != cli.ExitOK {
				t.Fatalf("validate of a %d-byte design: exit %d\n%s", len(src), code, stderr.Bytes())
			}
		})
		if !strings.Contains(stdout.String(), "is valid") {
			t.Errorf("stdout: %s", stdout.Bytes())
		}
		return alloc
	}
	a, b := validate(small), validate(src)
	sizeRatio := float64(len(src)) / float64(len(small))
	allocRatio := float64(b) / float64(a)
	t.Logf("%d components, %.1f MiB: %d MiB allocated; a tenth of it: %d MiB (ratio %.1f for %.1f× the bytes)",
		n, float64(len(src))/(1<<20), b>>20, a>>20, allocRatio, sizeRatio)
	if allocRatio > 1.3*sizeRatio {
		t.Errorf("allocations grow faster than the design: %.1f× for %.1f× the bytes", allocRatio, sizeRatio)
	}
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
