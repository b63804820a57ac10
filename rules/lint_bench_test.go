package rules

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// BenchmarkLintRatio measures the speed goals of the lint issues: the whole
// lint after decoding (the shared analysis with every failure scenario, and
// every rule of the suite) against decoding the same generated design.
//
//	go test ./rules -run '^$' -bench LintRatio -benchtime 3x
//
// It alternates the two and reports the CPU time each took (user and system
// time of the process, which a busy machine disturbs far less than wall
// time), the fastest wall time of each, and lint/decode-cpu: the ratio the
// goals are about (at most 0.3 for the analysis, 0.5 with all scenarios).
func BenchmarkLintRatio(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		src := designgen.Generate(n, 1)
		files := map[string][]byte{"gen.arch.hcl": src}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var cpuDecode, cpuLint int64
			var bestDecode, bestLint time.Duration
			for b.Loop() {
				c0, t0 := cpuTime(), time.Now()
				d, diags := lang.LoadFiles(files, lang.Options{})
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				c1, t1 := cpuTime(), time.Now()
				if _, err := analyze.Run(d, All, nil); err != nil {
					b.Fatal(err)
				}
				c2, t2 := cpuTime(), time.Now()
				cpuDecode += c1 - c0
				cpuLint += c2 - c1
				if w := t1.Sub(t0); bestDecode == 0 || w < bestDecode {
					bestDecode = w
				}
				if w := t2.Sub(t1); bestLint == 0 || w < bestLint {
					bestLint = w
				}
			}
			b.ReportMetric(float64(bestDecode.Nanoseconds()), "decode-min-ns")
			b.ReportMetric(float64(bestLint.Nanoseconds()), "lint-min-ns")
			b.ReportMetric(float64(cpuDecode)/float64(b.N), "decode-cpu-ns/op")
			b.ReportMetric(float64(cpuLint)/float64(b.N), "lint-cpu-ns/op")
			b.ReportMetric(float64(cpuLint)/float64(cpuDecode), "lint/decode-cpu")
		})
	}
}

// cpuTime is the process's user and system CPU time so far, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
