package graphviz_test

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/render"
	"github.com/archform/archform/render/graphviz"
	"github.com/archform/archform/rules"
)

// dotOf draws a generated design of n components with its analysis, as
// `archform render` does.
func dotOf(tb testing.TB, n int) []byte {
	tb.Helper()
	src := designgen.Generate(n, 1)
	d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": src}, lang.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags.Error())
	}
	rep, err := analyze.Run(d, rules.All, nil)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := rep.Results()
	if err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	if err := render.DOT(&b, render.Input{Design: d, Results: res, Findings: rep.Findings}, render.Options{}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkSVG1000 lays out the DOT of a generated 1,000-component design
// with go-graphviz (WebAssembly) and with the native dot, side by side:
//
//	go test ./render/graphviz -run '^$' -bench SVG1000 -benchtime 1x
func BenchmarkSVG1000(b *testing.B) { sideBySide(b, 1000) }

// BenchmarkSVG100 is the same at 100 components, the largest design whose
// DOT carries archform's ranks (tiers and rows): the -unranked runs lay out
// the same DOT with the ranks taken out, the graph as plain dot draws it.
//
//	go test ./render/graphviz -run '^$' -bench SVG100 -benchtime 1x
func BenchmarkSVG100(b *testing.B) { sideBySide(b, 100) }

func sideBySide(b *testing.B, n int) {
	dot := dotOf(b, n)
	// Besides wall time, each side reports the CPU time it used (cpu-s/op),
	// which a machine busy with other work does not inflate.
	wasm := func(dot []byte) func(b *testing.B) {
		return func(b *testing.B) {
			before := selfCPU()
			for b.Loop() {
				if _, err := graphviz.SVG(context.Background(), dot); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((selfCPU()-before).Seconds()/float64(b.N), "cpu-s/op")
		}
	}
	b.Run("go-graphviz", wasm(dot))
	native := func(dot []byte) func(b *testing.B) {
		return func(b *testing.B) {
			dotBin, err := exec.LookPath("dot")
			if err != nil {
				b.Skip("native dot not found")
			}
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(dotBin, "-Tsvg")
				cmd.Stdin = bytes.NewReader(dot)
				if out, err := cmd.Output(); err != nil || len(out) == 0 {
					b.Fatalf("dot: %v", err)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		}
	}
	b.Run("native-dot", native(dot))
	if bytes.Contains(dot, []byte("rank=same; \"service.")) {
		b.Run("go-graphviz-unranked", wasm(unranked(dot)))
		b.Run("native-dot-unranked", native(unranked(dot)))
	}
}

// unranked takes archform's ranks and iteration limits out of a DOT.
func unranked(dot []byte) []byte {
	var out bytes.Buffer
	for _, l := range bytes.SplitAfter(dot, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if bytes.HasPrefix(t, []byte("{ rank=same;")) && !bytes.Contains(t, []byte("legend")) ||
			bytes.Contains(t, []byte("newrank=")) || bytes.Contains(t, []byte("nslimit=")) ||
			bytes.Contains(t, []byte(`style="invis", weight="0"`)) {
			continue
		}
		out.Write(l)
	}
	return out.Bytes()
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestSVGRejectsBadDOT(t *testing.T) {
	if _, err := graphviz.SVG(context.Background(), []byte("digraph { a -> ")); err == nil {
		t.Fatal("broken DOT laid out without an error")
	}
}

func TestSVGConcurrent(t *testing.T) {
	dot := []byte(`digraph { a -> b; b -> c }`)
	want, err := graphviz.SVG(context.Background(), dot)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	outs := make(chan []byte, 8)
	for range 8 {
		go func() {
			out, err := graphviz.SVG(context.Background(), dot)
			errs <- err
			outs <- out
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		if out := <-outs; !bytes.Equal(out, want) {
			t.Fatal("concurrent layouts differ")
		}
	}
}

// BenchmarkPNG300 draws a generated 300-component design as SVG (layout)
// and as PNG (the same layout, rasterised), and reports the PNG's extra
// time as a ratio to the SVG's and the peak heap of the rasterising:
//
//	go test ./render/graphviz -run '^$' -bench PNG300 -benchtime 1x
func BenchmarkPNG300(b *testing.B) {
	dot := dotOf(b, 300)
	var svgTime, pngTime, svgCPU, pngCPU time.Duration
	var peak uint64
	for b.Loop() {
		start, cpu := time.Now(), selfCPU()
		svg, err := graphviz.SVG(context.Background(), dot)
		if err != nil {
			b.Fatal(err)
		}
		svgTime += time.Since(start)
		svgCPU += selfCPU() - cpu
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop := watchHeap(&peak)
		start, cpu = time.Now(), selfCPU()
		if err := render.PNG(io.Discard, svg, render.PNGScale); err != nil {
			b.Fatal(err)
		}
		pngTime += time.Since(start)
		pngCPU += selfCPU() - cpu
		stop()
		peak -= min(peak, before.HeapAlloc)
	}
	n := float64(b.N)
	b.ReportMetric(svgTime.Seconds()/n, "svg-s/op")
	b.ReportMetric((svgTime+pngTime).Seconds()/n, "png-s/op")
	b.ReportMetric((svgTime+pngTime).Seconds()/svgTime.Seconds(), "png/svg")
	b.ReportMetric(float64(peak)/1e6, "raster-peak-MB")
	// CPU time is what a loaded machine does not inflate.
	b.ReportMetric((svgCPU+pngCPU).Seconds()/svgCPU.Seconds(), "png/svg-cpu")
}

// watchHeap samples the heap in use every 50 ms (ReadMemStats stops the
// world: sampled more often it slows what it measures), keeping the
// highest in *peak, until the returned function is called.
func watchHeap(peak *uint64) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	*peak = 0
	go func() {
		defer close(finished)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			*peak = max(*peak, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
