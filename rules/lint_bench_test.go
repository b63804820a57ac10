package rules

import (
	"fmt"
	"runtime"
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
// The design has 1,000 and 10,000 components; lint-cpu should grow about
// tenfold between them.
func BenchmarkLintRatio(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		src := designgen.Generate(n, 1)
		files := map[string][]byte{"gen.arch.hcl": src}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var cpuDecode, cpuLint int64
			var bestDecode, bestLint time.Duration
			for b.Loop() {
				// Each iteration starts on a collected heap, as a lint
				// process does: the previous design's garbage is not
				// collected (on both cores) while this one decodes. The
				// decode's own garbage stays for the lint, as in a process.
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
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

// BenchmarkShop is what `archform lint testdata/shop` does in process:
// load the canonical example and lint it with the whole suite. Its B/op and
// allocs/op matter more than its ns/op: a short-lived CLI process pays a page
// fault for every fresh heap page, so what the lint allocates is start-up
// time.
//
//	go test ./rules -run '^$' -bench Shop -benchmem
func BenchmarkShop(b *testing.B) {
	for b.Loop() {
		d, diags := lang.Load("../testdata/shop", lang.Options{})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		rep, err := analyze.Run(d, All, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Findings) == 0 {
			b.Fatal("the shop has findings")
		}
	}
}

// BenchmarkLint is the lint of BenchmarkLintRatio alone, on a design decoded
// once outside the loop, with its allocations: what to profile when the
// ratio grows (-cpuprofile, -memprofile).
//
//	go test ./rules -run '^$' -bench '^BenchmarkLint$' -benchtime 3x -benchmem
func BenchmarkLint(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		d := generated(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := analyze.Run(d, All, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRule is each rule of the suite alone on the generated design of
// 10,000 components, with the shared analysis computed (and its parts that
// rules compute on first use, by a whole lint) outside the loop: which rules
// dominate the lint's CPU, and what each allocates.
//
//	go test ./rules -run '^$' -bench '^BenchmarkRule$' -benchtime 3x -benchmem
func BenchmarkRule(b *testing.B) {
	d := generated(b, 10000)
	res, err := analyze.ComputeSafe(d)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := analyze.RunWithResults(d, All, nil, res); err != nil {
		b.Fatal(err)
	}
	for _, a := range All {
		b.Run(a.ID, func(b *testing.B) {
			for b.Loop() {
				if _, err := analyze.RunWithResults(d, []*analyze.Analyzer{a}, nil, res); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGroup is what the engine does with the findings of the whole
// suite on 10,000 components (some 31,000, in the order the rules report
// them): sort and group them.
//
//	go test ./rules -run '^$' -bench '^BenchmarkGroup$' -benchmem
func BenchmarkGroup(b *testing.B) {
	d := generated(b, 10000)
	res, err := analyze.ComputeSafe(d)
	if err != nil {
		b.Fatal(err)
	}
	var fs []analyze.Finding
	for _, a := range All {
		pass := analyze.NewPass(a, d, func() *analyze.Results { return res }, nil, func(f analyze.Finding) {
			fs = append(fs, f)
		})
		if err := a.Run(pass); err != nil {
			b.Fatal(err)
		}
	}
	in := make([]analyze.Finding, len(fs))
	for b.Loop() {
		copy(in, fs)
		analyze.Group(in)
	}
}

// generated is designgen's design of n components (seed 1), decoded.
func generated(tb testing.TB, n int) *lang.Design {
	tb.Helper()
	d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(n, 1)}, lang.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return d
}

// cpuTime is the process's user and system CPU time so far, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
