package lsp

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// TestIncrementalEqualsFromScratch types random edits into designs, one
// change at a time, through one server, whose analysis reuses the pieces
// it parsed and the component blocks it decoded (and moves them when an
// edit above moves them). After every edit the diagnostics it has
// published (decode errors and lint findings, with their ranges, related
// locations and messages) must be those of a new server that sees the
// edited text for the first time and parses, decodes and lints it whole.
func TestIncrementalEqualsFromScratch(t *testing.T) {
	type design struct {
		name  string
		files map[string]string // file name -> text
	}
	var designs []design
	for _, ex := range []string{"shop", "chat", "payments", "video"} {
		dir := filepath.Join("..", "testdata", ex)
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		d := design{name: ex, files: map[string]string{}}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".arch.hcl") {
				d.files[e.Name()] = readFile(t, filepath.Join(dir, e.Name()))
			}
		}
		designs = append(designs, d)
	}
	// A generated design of 300 components in two files: enough blocks
	// to be decoded by several goroutines at first.
	gen := string(designgen.Generate(300, 7))
	starts := lang.SplitTopLevel(gen)
	half := starts[len(starts)/2]
	designs = append(designs, design{name: "generated", files: map[string]string{"a.arch.hcl": gen[:half], "b.arch.hcl": gen[half:]}})

	rng := rand.New(rand.NewPCG(22, 1000))
	for _, d := range designs {
		edits := 30
		if d.name == "generated" {
			edits = 10 // each fresh analysis is long
		}
		if testing.Short() {
			edits /= 4
		}
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			var names []string
			for name, text := range d.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				names = append(names, name)
			}
			sort.Strings(names)
			texts := map[string]string{}
			c := newClient(t, Options{})
			c.initialize()
			for _, name := range names {
				uri := pathToURI(filepath.Join(dir, name))
				texts[uri] = d.files[name]
				c.open(uri, d.files[name])
			}
			uris := slices.Sorted(maps.Keys(texts))
			c.settle(uris[0])
			compareWithScratch(t, c, texts, "after open")
			version := 1
			var undoURI, undoText string
			for i := range edits {
				uri := uris[rng.IntN(len(uris))]
				old := texts[uri]
				edited, what := randomEdit(rng, old)
				if undoURI != "" && rng.IntN(3) > 0 {
					// Mostly, the edit is undone next (so that the design
					// decodes again and is linted).
					uri, old = undoURI, texts[undoURI]
					edited, what = undoText, "undo"
				}
				undoURI, undoText = uri, old
				// The change as an editor sends it: the range replaced.
				off := 0
				for off < len(old) && off < len(edited) && old[off] == edited[off] {
					off++
				}
				endOld, endNew := len(old), len(edited)
				for endOld > off && endNew > off && old[endOld-1] == edited[endNew-1] {
					endOld--
					endNew--
				}
				t0 := newText(old)
				version++
				c.change(uri, version, TextDocumentContentChangeEvent{
					Range: &Range{Start: t0.position(off), End: t0.position(endOld)},
					Text:  edited[off:endNew],
				})
				texts[uri] = edited
				c.settle(uri)
				compareWithScratch(t, c, texts, fmt.Sprintf("after edit %d (%s in %s)", i+1, what, filepath.Base(uri)))
				if t.Failed() {
					return
				}
			}
			c.shutdown()
		})
	}
}

// compareWithScratch compares the diagnostics c published for each file
// with those a new server publishes for the same texts.
func compareWithScratch(t *testing.T, c *client, texts map[string]string, when string) {
	t.Helper()
	fresh := newClient(t, Options{})
	fresh.initialize()
	uris := slices.Sorted(maps.Keys(texts))
	for _, uri := range uris {
		fresh.open(uri, texts[uri])
	}
	fresh.settle(uris[0])
	fresh.shutdown()
	for _, uri := range uris {
		got, _ := json.MarshalIndent(c.diags[uri], "", " ")
		want, _ := json.MarshalIndent(fresh.diags[uri], "", " ")
		if string(got) != string(want) {
			g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			line := func(l []string) string {
				if i < len(l) {
					return l[i]
				}
				return "(end)"
			}
			t.Errorf("%s: %s: incremental diagnostics differ from a fresh analysis at line %d of their JSON:\n incremental: %s\n fresh:       %s", when, filepath.Base(uri), i+1, line(g), line(w))
		}
	}
}

var digitRun = regexp.MustCompile(`= [1-9][0-9]*\b`)

// randomEdit makes an edit of the kind typing makes: blank lines and
// comments that move the blocks below, a number changed (the design still
// decodes, its figures and findings change), a reference broken or a
// block cut, a stray character, and its undo by the next edit.
func randomEdit(rng *rand.Rand, s string) (string, string) {
	lineStart := func() int {
		off := rng.IntN(len(s) + 1)
		return strings.LastIndexByte(s[:off], '\n') + 1
	}
	switch k := rng.IntN(10); {
	case k < 3:
		at := lineStart()
		ins := []string{"\n", "\n\n\n", "# a comment\n", "   \n"}[rng.IntN(4)]
		return s[:at] + ins + s[at:], fmt.Sprintf("%q inserted at %d", ins, at)
	case k < 6:
		m := digitRun.FindAllStringIndex(s, -1)
		if len(m) == 0 {
			return s + "\n", "a new line at the end"
		}
		r := m[rng.IntN(len(m))]
		repl := fmt.Sprintf("= %d", 1+rng.IntN(5000))
		return s[:r[0]] + repl + s[r[1]:], fmt.Sprintf("%q replaced by %q", s[r[0]:r[1]], repl)
	case k < 7:
		// A reference or attribute name mistyped.
		start := rng.IntN(len(s))
		i := strings.Index(s[start:], ".")
		if i < 0 {
			return s + " ", "a space at the end"
		}
		i += start + 1
		return s[:i] + "x" + s[i:], fmt.Sprintf("x typed at %d", i)
	case k < 8:
		// A whole line cut.
		at := lineStart()
		end := strings.IndexByte(s[at:], '\n')
		if end < 0 {
			return s[:at], "the last line cut"
		}
		return s[:at] + s[at+end+1:], fmt.Sprintf("line at %d cut", at)
	default:
		at := rng.IntN(len(s) + 1)
		ins := []string{"x", " ", "}", "\"", "=", "7", "é"}[rng.IntN(7)]
		return s[:at] + ins + s[at:], fmt.Sprintf("%q typed at %d", ins, at)
	}
}

// TestDebounceBurst types a burst of ten keystrokes: the server analyzes
// once, after the quiet time that follows the last of them, and what it
// publishes is the analysis of the last text.
func TestDebounceBurst(t *testing.T) {
	const debounce = 300 * time.Millisecond
	rounds := make(chan struct{}, 100)
	c := newClient(t, Options{Debounce: debounce, OnPublish: func(time.Duration) { rounds <- struct{}{} }})
	c.initialize()
	path := filepath.Join(copyDesign(t, "shop"), "shop.arch.hcl")
	uri, src := pathToURI(path), readFile(t, path)
	c.open(uri, src)
	wait := func() {
		t.Helper()
		select {
		case <-rounds:
		case <-time.After(30 * time.Second):
			t.Fatal("no analysis")
		}
	}
	wait()
	// Type "broken" at the start of the file, one character at a time:
	// only the last text fails to decode (an unknown block type).
	word := "broken "
	for i := range word {
		c.change(uri, i+2, TextDocumentContentChangeEvent{Range: &Range{Start: Position{0, i}, End: Position{0, i}}, Text: word[i : i+1]})
	}
	last := time.Now()
	wait()
	if waited := time.Since(last); waited < debounce {
		t.Errorf("the analysis came %v after the last change, before the %v debounce", waited, debounce)
	}
	select {
	case <-rounds:
		t.Error("a burst of changes cost more than one analysis")
	case <-time.After(2 * debounce):
	}
	c.settle(uri)
	found := false
	for _, d := range c.diags[uri] {
		found = found || d.Severity == SeverityError && d.Range.Start.Line == 0 && d.Code == ""
	}
	if !found {
		t.Errorf("no decode error on the first line after typing %q there: %+v", word, c.diags[uri])
	}
}
