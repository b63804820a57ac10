package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkStartupRatio measures the start-up goal: `archform lint` on the
// shop, as a whole process of the one archform program (every command
// linked, Graphviz aside), must start and finish within 10× the wall time of
// a Go hello-world binary (issue 12; medians of runs alternating between the
// two). It builds both with the same go command and environment (set
// CGO_ENABLED=0 to compare static binaries, as releases are built) and
// reports the median wall time of each and their ratio:
//
//	go test ./cmd/archform -run '^$' -bench StartupRatio -benchtime 20x
//
// An iteration is one run of each program, one after the other.
func BenchmarkStartupRatio(b *testing.B) {
	dir := b.TempDir()
	hello := filepath.Join(dir, "hello")
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello, world\") }\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", hello, src)
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building hello: %v\n%s", err, out)
	}
	archform := filepath.Join(dir, "archform")
	if out, err := exec.Command("go", "build", "-o", archform, ".").CombinedOutput(); err != nil {
		b.Fatalf("building archform: %v\n%s", err, out)
	}
	shop, err := filepath.Abs("../../testdata/shop")
	if err != nil {
		b.Fatal(err)
	}
	wall := func(name string, args ...string) time.Duration {
		cmd := exec.Command(name, args...)
		t0 := time.Now()
		err := cmd.Run()
		d := time.Since(t0)
		if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) { // the shop has findings: exit 1
			b.Fatalf("%s: %v", name, err)
		}
		return d
	}
	for range 5 { // warm the page cache
		wall(hello)
		wall(archform, "lint", shop)
	}
	// Alternating runs: a load on the shared machine slows both alike.
	var h, l []time.Duration
	for range b.N {
		h = append(h, wall(hello))
		l = append(l, wall(archform, "lint", shop))
	}
	median := func(ds []time.Duration) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[len(s)/2]
	}
	mh, ml := median(h), median(l)
	b.ReportMetric(float64(mh.Microseconds())/1000, "hello-ms")
	b.ReportMetric(float64(ml.Microseconds())/1000, "lint-ms")
	b.ReportMetric(float64(ml)/float64(mh), "lint/hello")
}
