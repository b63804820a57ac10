package analyze

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// The analysis must add at most 50% to decoding, and grow linearly:
//
//	go test ./analyze -run '^$' -bench 'Decode|Compute' -benchtime 5x
//
// compares BenchmarkDecode/N (lang.LoadFiles of a generated design) with
// BenchmarkCompute/N (every scenario, queue, flow) at 1,000 and 10,000
// components.
func BenchmarkDecode(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		src := designgen.Generate(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": src}, lang.Options{}); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
	}
}

func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		d := generated(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				Compute(d)
			}
		})
	}
}

// BenchmarkComputeStable is BenchmarkCompute on the generated designs with
// every capacity raised to twice its nominal peak, so that every queue is
// stable and every flow's p99 is composed (in the raw designs fan-out
// overloads a tier on nearly every flow's path, whose p99 is then infinite).
func BenchmarkComputeStable(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		d := stabilized(generated(b, n))
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				Compute(d)
			}
		})
	}
}

func stabilized(d *lang.Design) *lang.Design {
	r := Compute(d)
	for _, c := range d.Components {
		if l := r.Nominal.Load[c.Addr]; c.CapacityRPS > 0 && l.Utilization > 0.5 {
			c.CapacityRPS *= 2 * l.Utilization
		}
	}
	return d
}

func generated(tb testing.TB, n int) *lang.Design {
	tb.Helper()
	d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(n, 1)}, lang.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return d
}

// TestGeneratedDesigns: a generated design computes without NaN, with its
// scenarios, every flow has figures, and the JSON view is the same run to run.
func TestGeneratedDesigns(t *testing.T) {
	d := generated(t, 1000)
	r := Compute(d)
	view := func(r *Results) []byte {
		b, err := json.Marshal([]any{r.ComponentsJSON(), r.FlowsJSON()})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(view(r), view(Compute(d))) {
		t.Error("two runs differ")
	}
	finite := 0
	for _, f := range Compute(stabilized(d)).Flows {
		if !math.IsInf(f.LatencyP99, 0) && f.LatencyP99 > f.LatencyMean {
			finite++
		}
	}
	if finite < len(r.Flows)/2 {
		t.Errorf("stabilized: %d of %d flows with a finite p99 above the mean", finite, len(r.Flows))
	}
	if len(r.Failures) == 0 || len(r.Flows) == 0 {
		t.Fatalf("%d scenarios, %d flows", len(r.Failures), len(r.Flows))
	}
	for addr, c := range r.Components {
		if c.Load.Total() != c.Load.Total() || c.Availability != c.Availability {
			t.Errorf("%s: NaN figure", addr)
		}
	}
	for name, f := range r.Flows {
		if f.Availability != f.Availability || f.LatencyMean != f.LatencyMean || f.LatencyP99 != f.LatencyP99 {
			t.Errorf("flow %s: NaN figure", name)
		}
	}
}

// TestAnalysisCost prints the CPU time of decoding and of Compute on the
// generated designs (CPU time, not wall time: the benchmark machines are
// shared). It runs only with ARCHFORM_COST=1:
//
//	ARCHFORM_COST=1 go test ./analyze -run TestAnalysisCost -v
func TestAnalysisCost(t *testing.T) {
	if os.Getenv("ARCHFORM_COST") != "1" {
		t.Skip("set ARCHFORM_COST=1 to measure")
	}
	cpu := func(f func()) time.Duration {
		var a, b syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &a)
		f()
		syscall.Getrusage(syscall.RUSAGE_SELF, &b)
		return time.Duration(b.Utime.Nano()+b.Stime.Nano()-a.Utime.Nano()-a.Stime.Nano()) * time.Nanosecond
	}
	for _, n := range []int{1000, 10000} {
		src := designgen.Generate(n, 1)
		var d *lang.Design
		dec := cpu(func() { d, _ = lang.LoadFiles(map[string][]byte{"gen.arch.hcl": src}, lang.Options{}) })
		raw := cpu(func() { Compute(d) })
		stab := stabilized(d)
		st := cpu(func() { Compute(stab) })
		t.Logf("%d components: decode %v, Compute %v (%.0f%%), Compute with stable queues %v (%.0f%%)",
			n, dec, raw, 100*float64(raw)/float64(dec), st, 100*float64(st)/float64(dec))
	}
}
