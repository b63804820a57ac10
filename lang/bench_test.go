package lang

import (
	"bytes"
	"fmt"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/archform/archform/lang/designgen"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestGeneratedDesigns checks that the generator writes valid designs of the
// size asked for, the same bytes for the same seed, and canonical style.
func TestGeneratedDesigns(t *testing.T) {
	for _, n := range []int{1, 2, 7, 19, 20, 57, 300, 1200} {
		for _, seed := range []int64{1, 2} {
			src := designgen.Generate(n, seed)
			name := fmt.Sprintf("gen%d_%d.arch.hcl", n, seed)
			d, diags := LoadFiles(map[string][]byte{name: src}, Options{})
			if len(diags) > 0 {
				var buf bytes.Buffer
				WriteDiagnostics(&buf, d.Files, diags[:min(len(diags), 5)], false)
				t.Fatalf("n=%d seed=%d: %d diagnostics:\n%s", n, seed, len(diags), buf.String())
			}
			if len(d.Components) != n {
				t.Errorf("n=%d seed=%d: %d components", n, seed, len(d.Components))
			}
			if !bytes.Equal(src, designgen.Generate(n, seed)) {
				t.Errorf("n=%d seed=%d: output differs between runs", n, seed)
			}
			if f := hclwrite.Format(src); !bytes.Equal(f, src) {
				t.Errorf("n=%d seed=%d: not in canonical style", n, seed)
			}
			if n >= 20 && (len(d.Flows) == 0 || len(d.Zones) == 0) {
				t.Errorf("n=%d: %d flows, %d zones", n, len(d.Flows), len(d.Zones))
			}
		}
	}
	if bytes.Equal(designgen.Generate(100, 1), designgen.Generate(100, 2)) {
		t.Error("different seeds give the same design")
	}
}

// The decoding benchmarks compare LoadFiles (guard, parse, decode, resolve,
// place) with the bare hclsyntax.ParseConfig of the same bytes.
//
// Besides wall time they report cpu-ns/op, the process's CPU time (user and
// system, all threads, the garbage collector included) per operation: on a
// machine shared with other work, wall time mostly measures the neighbours,
// while CPU time stays comparable between the two benchmarks.
func benchParse(b *testing.B, n int) {
	src := designgen.Generate(n, 1)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, diags := hclsyntax.ParseConfig(src, "gen.arch.hcl", hcl.InitialPos); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

func benchLoad(b *testing.B, n int) {
	files := map[string][]byte{"gen.arch.hcl": designgen.Generate(n, 1)}
	b.SetBytes(int64(len(files["gen.arch.hcl"])))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, diags := LoadFiles(files, Options{}); len(diags) > 0 {
			b.Fatal(diags)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's user and system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func BenchmarkParse1k(b *testing.B)  { benchParse(b, 1000) }
func BenchmarkParse10k(b *testing.B) { benchParse(b, 10000) }
func BenchmarkLoad1k(b *testing.B)   { benchLoad(b, 1000) }
func BenchmarkLoad10k(b *testing.B)  { benchLoad(b, 10000) }

// Large designs are decoded in parallel; their errors, including those found
// when references are resolved, must still all be reported in order.
func TestParallelDecodeDiagnostics(t *testing.T) {
	src := designgen.Generate(parallelThreshold*2, 3)
	src = append(src, []byte(`
service "broken" {
  replicas = 0
  call {
    to = database.nowhere
  }
  consume {
    from = service.broken_too
  }
}

service "broken_too" {}
`)...)
	_, diags := LoadFiles(map[string][]byte{"big.arch.hcl": src}, Options{})
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary)
	}
	want := "Value out of range|Reference to undefined component|Consume from a non-queue"
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("got %s\nwant %s", s, want)
	}
}

// benchRatio alternates the bare parse and the whole load of the same bytes.
// It reports the fastest wall time of each (the run least disturbed by other
// work on the machine) and the ratio of the CPU time each took in all (user
// and system time of every thread, the garbage collector's included), which
// a busy machine disturbs far less than wall time. load/parse-cpu is the
// figure the speed goal is about.
func benchRatio(b *testing.B, n int) {
	src := designgen.Generate(n, 1)
	files := map[string][]byte{"gen.arch.hcl": src}
	var bestParse, bestLoad time.Duration
	var cpuParse, cpuLoad int64
	for b.Loop() {
		c0, t0 := cpuTime(), time.Now()
		if _, diags := hclsyntax.ParseConfig(src, "gen.arch.hcl", hcl.InitialPos); diags.HasErrors() {
			b.Fatal(diags)
		}
		c1, t1 := cpuTime(), time.Now()
		if _, diags := LoadFiles(files, Options{}); len(diags) > 0 {
			b.Fatal(diags)
		}
		c2, t2 := cpuTime(), time.Now()
		cpuParse += c1 - c0
		cpuLoad += c2 - c1
		if p := t1.Sub(t0); bestParse == 0 || p < bestParse {
			bestParse = p
		}
		if l := t2.Sub(t1); bestLoad == 0 || l < bestLoad {
			bestLoad = l
		}
	}
	b.ReportMetric(float64(bestParse.Nanoseconds()), "parse-min-ns")
	b.ReportMetric(float64(bestLoad.Nanoseconds()), "load-min-ns")
	b.ReportMetric(float64(cpuParse)/float64(b.N), "parse-cpu-ns/op")
	b.ReportMetric(float64(cpuLoad)/float64(b.N), "load-cpu-ns/op")
	b.ReportMetric(float64(cpuLoad)/float64(cpuParse), "load/parse-cpu")
}

func BenchmarkRatio1k(b *testing.B)  { benchRatio(b, 1000) }
func BenchmarkRatio10k(b *testing.B) { benchRatio(b, 10000) }
