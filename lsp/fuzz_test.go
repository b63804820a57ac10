package lsp

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/archform/archform/lang"
)

// FuzzEdits edits an example design file the way a user does (delete a few
// bytes somewhere, type something there) and asks the server everything at
// the edit: it must answer every request, publish diagnostics, never
// panic; and when the edited file parses whole without error, its parse
// through the piece cache decodes exactly as the whole file does.
//
// The seed corpus (edits of every example) runs in go test; -short runs a
// few. Fuzz longer with:
//
//	go test ./lsp -run '^$' -fuzz FuzzEdits -fuzztime 60s
func FuzzEdits(f *testing.F) {
	files := exampleList(f)
	inserts := []string{"", "\n", "}", "{", "\"", "service.", "= ", "call {\n to = ", "#", "/*", "${", "replicas = 0\n", "\x00", "é", "<<EOF\n"}
	// Every insert at some place of some file; every file edited. -short
	// keeps one in four.
	for i := range files {
		for j, ins := range inserts {
			if (i+j)%4 != 0 || testing.Short() && (i+j)%16 != 0 {
				continue
			}
			f.Add(uint8(i), uint32(j*7919+i*104729), uint8(j%5), ins)
		}
	}
	f.Fuzz(func(t *testing.T, fileIndex uint8, offset uint32, del uint8, insert string) {
		path := files[int(fileIndex)%len(files)]
		src := readFile(t, path)
		off := int(offset) % (len(src) + 1)
		end := min(len(src), off+int(del)%8)
		edited := src[:off] + insert + src[end:]
		if !utf8.ValidString(edited) {
			// LSP carries text as JSON strings: an editor never sends
			// invalid UTF-8 (JSON would replace it).
			edited = strings.ToValidUTF8(edited, "\uFFFD")
		}
		abs, _ := filepath.Abs(path)
		uri := pathToURI(abs)
		c := newClient(t, Options{})
		c.initialize()
		c.open(uri, src)
		t0 := newText(src)
		p := t0.position(off)
		q := t0.position(end)
		c.change(uri, 2, TextDocumentContentChangeEvent{Range: &Range{Start: p, End: q}, Text: edited[off : len(edited)-(len(src)-end)]})
		c.settle(uri)
		if _, ok := c.diags[uri]; !ok {
			t.Errorf("no diagnostics published for %s", uri)
		}
		here := pos(p.Line, p.Character)
		for _, m := range []string{"textDocument/hover", "textDocument/definition", "textDocument/completion", "textDocument/prepareRename"} {
			if _, rerr := c.call(m, at(uri, here)); rerr != nil {
				t.Errorf("%s: %v", m, rerr)
			}
		}
		doc := map[string]any{"uri": uri}
		for _, r := range []struct {
			method string
			params map[string]any
		}{
			{"textDocument/references", map[string]any{"textDocument": doc, "position": here, "context": map[string]any{"includeDeclaration": true}}},
			{"textDocument/documentSymbol", map[string]any{"textDocument": doc}},
			{"textDocument/formatting", map[string]any{"textDocument": doc, "options": map[string]any{}}},
			{"textDocument/codeAction", map[string]any{"textDocument": doc, "range": Range{Start: p, End: p}, "context": map[string]any{"diagnostics": c.diags[uri]}}},
		} {
			if _, rerr := c.call(r.method, r.params); rerr != nil {
				t.Errorf("%s: %v", r.method, rerr)
			}
		}
		// Rename answers with an edit or a refusal, never an internal error.
		if _, rerr := c.call("textDocument/rename", map[string]any{"textDocument": doc, "position": here, "newName": "renamed"}); rerr != nil && rerr.Code != codeRequestFailed {
			t.Errorf("rename: %v", rerr)
		}
		c.shutdown()

		// The piece cache, from the original to the edited text, against
		// the whole parse: the same errors, the same design.
		if strings.HasSuffix(path, ".hcl") {
			pc := &pieceCache{}
			pc.parse(src, abs)
			_, pd := pc.parse(edited, abs)
			_, wd := lang.ParseFile([]byte(edited), abs)
			if pd.HasErrors() != wd.HasErrors() {
				t.Errorf("pieces: errors %v, whole file: errors %v\npieces: %v\nwhole: %v", pd.HasErrors(), wd.HasErrors(), pd, wd)
			}
			if !wd.HasErrors() {
				pc2 := &pieceCache{}
				pc2.parse(src, abs)
				if got, want := decodePieces(pc2, abs, edited), decodeWhole(abs, edited); got != want {
					t.Errorf("pieces decode differently:\n%s", diffLines(got, want))
				}
			}
		}
	})
}

// exampleList lists the example design files, sorted.
func exampleList(t testing.TB) []string {
	var out []string
	for name := range exampleFiles(t) {
		out = append(out, name)
	}
	jsons, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "*.arch.json"))
	out = append(out, jsons...)
	sort.Strings(out)
	return out
}
