package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/rules"
	"github.com/hashicorp/hcl/v2"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkKeystroke measures the language server's answer to typing in a
// 1,000-component design (lang/designgen), one file or split into files of
// about 50 components: from the didChange of one character to the end of
// the analysis round that publishes its diagnostics (parse of what changed,
// decode, the whole lint suite, diagnostics), after the first analysis.
// It reports the median and 90th percentile wall times with the debounce
// (DefaultDebounce) and the CPU time per keystroke, which a machine busy
// with other work disturbs far less than wall time.
//
//	go test ./lsp -run '^$' -bench Keystroke -benchtime 40x
func BenchmarkKeystroke(b *testing.B) {
	for _, split := range []bool{false, true} {
		name := "one-file"
		if split {
			name = "files-of-50"
		}
		b.Run(name, func(b *testing.B) { benchKeystroke(b, split) })
	}
}

func benchKeystroke(b *testing.B, split bool) {
	dir := b.TempDir()
	src := string(designgen.Generate(1000, 1))
	files := map[string]string{}
	if split {
		starts := lang.SplitTopLevel(src)
		for i := 0; i < len(starts); i += 50 {
			end := len(src)
			if i+50 < len(starts) {
				end = starts[i+50]
			}
			files[filepath.Join(dir, fmt.Sprintf("part%03d.arch.hcl", i/50))] = src[starts[i]:end]
		}
	} else {
		files[filepath.Join(dir, "gen.arch.hcl")] = src
	}
	for path, text := range files {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	// The file typed in: the one in the middle of the design.
	var names []string
	for path := range files {
		names = append(names, path)
	}
	slices.Sort(names)
	path := names[len(names)/2]
	text := files[path]
	uri := pathToURI(path)

	published := make(chan time.Duration, 16)
	c := newClient(b, Options{Debounce: DefaultDebounce, OnPublish: func(d time.Duration) { published <- d }})
	c.initialize()
	c.open(uri, text)
	go func() { // drain the server's messages: diagnostics are many
		for range c.msgs {
		}
	}()
	select {
	case <-published:
	case <-time.After(2 * time.Minute):
		b.Fatal("no first analysis")
	}
	// Type at the end of the middle line, then delete it again.
	t := newText(text)
	line := len(t.lines) / 2
	col := t.position(t.lineEnd(line)).Character
	var walls []time.Duration
	cpu0 := cpuTime()
	version := 1
	for i := 0; b.Loop(); i++ {
		version++
		ch := TextDocumentContentChangeEvent{Range: &Range{Start: Position{line, col}, End: Position{line, col}}, Text: " "}
		if i%2 == 1 {
			ch = TextDocumentContentChangeEvent{Range: &Range{Start: Position{line, col}, End: Position{line, col + 1}}, Text: ""}
		}
		c.change(uri, version, ch)
		select {
		case d := <-published:
			walls = append(walls, d)
		case <-time.After(time.Minute):
			b.Fatal("no analysis after a keystroke")
		}
	}
	cpu := cpuTime() - cpu0
	slices.Sort(walls)
	b.ReportMetric(float64(walls[len(walls)/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(walls[len(walls)*9/10].Milliseconds()), "p90-ms")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(len(walls)), "cpu-ms/keystroke")
	b.ReportMetric(float64(DefaultDebounce.Milliseconds()), "debounce-ms")
}

// BenchmarkKeystrokePhases splits a keystroke's analysis of the
// 1,000-component design (one file; a space typed at the end of its middle
// line, then deleted) into its phases, in process, by CPU time (GC
// included): the parse through the piece cache against a parse of the
// whole file, the decode through the DecodeCache against a decode without
// it, and the lint suite. The ratios say what the incremental work saves
// whatever the machine's load; the lint is the rest of a keystroke.
//
//	go test ./lsp -run '^$' -bench KeystrokePhases -benchtime 20x
func BenchmarkKeystrokePhases(b *testing.B) {
	const name = "gen.arch.hcl"
	src := string(designgen.Generate(1000, 1))
	t := newText(src)
	mid := t.lineEnd(len(t.lines) / 2)
	edited := src[:mid] + " " + src[mid:]
	pc := &pieceCache{}
	cache := &lang.DecodeCache{}
	f, _ := pc.parse(src, name)
	lang.DecodeFiles([]string{name}, []*hcl.File{f}, lang.Options{Cache: cache})
	var parse, whole, decode, full, lint time.Duration
	n := 0
	for i := 0; b.Loop(); i++ {
		text := edited
		if i%2 == 1 {
			text = src
		}
		c0 := cpuTime()
		f, _ := pc.parse(text, name)
		c1 := cpuTime()
		lang.ParseFile([]byte(text), name)
		c2 := cpuTime()
		d, diags := lang.DecodeFiles([]string{name}, []*hcl.File{f}, lang.Options{Cache: cache})
		c3 := cpuTime()
		lang.DecodeFiles([]string{name}, []*hcl.File{f}, lang.Options{})
		c4 := cpuTime()
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		if _, err := analyze.Run(d, rules.All, analyze.DefaultConfig()); err != nil {
			b.Fatal(err)
		}
		c5 := cpuTime()
		parse, whole, decode, full, lint = parse+c1-c0, whole+c2-c1, decode+c3-c2, full+c4-c3, lint+c5-c4
		n++
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	b.ReportMetric(ms(parse), "parse-ms")
	b.ReportMetric(ms(whole), "whole-parse-ms")
	b.ReportMetric(ms(decode), "decode-ms")
	b.ReportMetric(ms(full), "full-decode-ms")
	b.ReportMetric(ms(lint), "lint-ms")
	b.ReportMetric(float64(full)/float64(decode), "decode-speedup")
	b.ReportMetric(float64(whole)/float64(parse), "parse-speedup")
}
