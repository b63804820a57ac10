package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/archform/archform/lang/designgen"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// BenchmarkScale measures the scale goals of lint (issue 14) on
// designgen.Groups: designs of 100 and 1,000 independent groups of ten
// components (1,000 and 10,000 components). For each it runs the whole
// `archform lint --format json` process and reports
//
//   - lint/parse-cpu: the process's CPU time (user and system, from its
//     rusage) over the CPU time of bare hclsyntax parsing of the same file in
//     this process (goal: at most 2);
//
//   - json-MB: the size of the JSON report (goal: under 10 MB at 1,000 groups);
//
//   - maxrss-MB: the process's peak resident memory (goal: under 200 MB);
//
//   - lint-cpu-ms, parse-cpu-ms, and for 1000 the growth from 100 groups of
//     the lint's CPU time, JSON size and peak memory (goal: at most 11×).
//
//     go test ./cmd/archform -run '^$' -bench Scale -benchtime 3x
//
// Each figure is the smallest of the iterations (a busy machine only adds).
// To look at the designs: go run ./lang/designgen/cmd/designgen -groups 1000.
func BenchmarkScale(b *testing.B) {
	dir := b.TempDir()
	archform := filepath.Join(dir, "archform")
	if out, err := exec.Command("go", "build", "-o", archform, ".").CombinedOutput(); err != nil {
		b.Fatalf("building archform: %v\n%s", err, out)
	}
	type figures struct {
		lintCPU, parseCPU time.Duration
		json, rss         int64
	}
	measured := map[int]figures{}
	for _, groups := range []int{100, 1000} {
		src := designgen.Groups(groups)
		path := filepath.Join(dir, fmt.Sprintf("groups%d.arch.hcl", groups))
		if err := os.WriteFile(path, src, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(groups), func(b *testing.B) {
			var f figures
			for b.Loop() {
				var out bytes.Buffer
				cmd := exec.Command(archform, "lint", "--format", "json", path)
				cmd.Stdout = &out
				err := cmd.Run()
				if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) { // findings: exit 1
					b.Fatalf("archform lint: %v", err)
				}
				ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				lint := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
				parse := parseCPU(b, src, path)
				if f.lintCPU == 0 || lint < f.lintCPU {
					f.lintCPU = lint
				}
				if f.parseCPU == 0 || parse < f.parseCPU {
					f.parseCPU = parse
				}
				if rss := ru.Maxrss * 1024; f.rss == 0 || rss < f.rss {
					f.rss = rss
				}
				f.json = int64(out.Len())
			}
			measured[groups] = f
			b.ReportMetric(float64(f.lintCPU.Milliseconds()), "lint-cpu-ms")
			b.ReportMetric(float64(f.parseCPU.Milliseconds()), "parse-cpu-ms")
			b.ReportMetric(float64(f.lintCPU)/float64(f.parseCPU), "lint/parse-cpu")
			b.ReportMetric(float64(f.json)/1e6, "json-MB")
			b.ReportMetric(float64(f.rss)/1e6, "maxrss-MB")
			if small, ok := measured[100]; ok && groups == 1000 {
				b.ReportMetric(float64(f.lintCPU)/float64(small.lintCPU), "cpu-growth")
				b.ReportMetric(float64(f.json)/float64(small.json), "json-growth")
				b.ReportMetric(float64(f.rss)/float64(small.rss), "rss-growth")
			}
		})
	}
}

// parseCPU is the CPU time this process takes to parse src with hclsyntax
// alone (no decoding), from a collected heap.
func parseCPU(tb testing.TB, src []byte, path string) time.Duration {
	runtime.GC()
	c0 := processCPU()
	_, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	c := processCPU() - c0
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return c
}

// processCPU is this process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
