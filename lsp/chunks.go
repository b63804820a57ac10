package lsp

import (
	"sort"
	"strings"

	"github.com/archform/archform/internal/hclpos"
	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Incremental parsing. HCL's parser takes some 0.2 s of CPU for a file of
// 1,000 components (its lexer is most of it), too slow to run on every
// keystroke. A design file is a sequence of top-level blocks, which parse
// independently: the server splits the text at the lines where a top-level
// item starts (lang.SplitTopLevel), parses each piece on its own (at the position 1:1, so that a
// piece's parse does not depend on where it is), keeps the parses by their
// text, and on a change parses only the pieces whose text changed. A reused
// piece that moved (an edit above it added a line or a character) has every
// position in its syntax tree moved by the same number of lines and bytes;
// its columns do not change, since a piece starts at the start of a line.
// The pieces' blocks then form one body, and the file decodes as if it had
// been parsed whole.

// piece is one parsed top-level piece of a file, with the offset its syntax
// tree's positions carry.
type piece struct {
	text  string
	file  *hcl.File
	diags hcl.Diagnostics
	line  int // lines added to every position (the piece's first line - 1)
	byte  int // bytes added
}

// pieceCache holds one file's parsed pieces by text.
type pieceCache struct {
	byText map[string][]*piece
}

// parseIncremental parses a file's text reusing the pieces of its last
// parse, and returns the whole file's syntax and diagnostics.
func (pc *pieceCache) parse(content, name string) (*hcl.File, hcl.Diagnostics) {
	if strings.HasSuffix(name, ".json") || len(content) > lang.MaxFileSize {
		return lang.ParseFile([]byte(content), name)
	}
	starts := lang.SplitTopLevel(content)
	t := newText(content)
	next := map[string][]*piece{}
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	var diags hcl.Diagnostics
	for i, start := range starts {
		end := len(content)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		chunk := content[start:end]
		line := t.lineOf(start)
		var p *piece
		if cands := pc.byText[chunk]; len(cands) > 0 {
			p, pc.byText[chunk] = cands[len(cands)-1], cands[:len(cands)-1]
		} else {
			p = &piece{text: chunk}
			p.file, p.diags = lang.ParseFile([]byte(chunk), name)
		}
		if p.line != line || p.byte != start {
			shiftPiece(p, line-p.line, start-p.byte)
			p.line, p.byte = line, start
		}
		next[chunk] = append(next[chunk], p)
		diags = append(diags, p.diags...)
		if p.file == nil {
			// The safety checks refused the piece (a NUL byte, invalid
			// UTF-8, nesting too deep): they refuse the whole file, as
			// archform lint does, with its offsets.
			pc.byText = next
			return lang.ParseFile([]byte(content), name)
		}
		pb, ok := p.file.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		body.Blocks = append(body.Blocks, pb.Blocks...)
		for k, a := range pb.Attributes {
			if _, dup := body.Attributes[k]; !dup {
				body.Attributes[k] = a
			}
		}
	}
	pc.byText = next
	endPos := hcl.Pos{Line: len(t.lines), Column: len(t.s) - t.lines[len(t.lines)-1] + 1, Byte: len(t.s)}
	body.SrcRange = hcl.Range{Filename: name, Start: hcl.InitialPos, End: endPos}
	body.EndRange = hcl.Range{Filename: name, Start: endPos, End: endPos}
	sort.SliceStable(body.Blocks, func(i, j int) bool { return body.Blocks[i].TypeRange.Start.Byte < body.Blocks[j].TypeRange.Start.Byte })
	return &hcl.File{Body: body, Bytes: []byte(content)}, diags
}

// shiftPiece moves every position of a piece's syntax tree and diagnostics
// by dl lines and db bytes.
func shiftPiece(p *piece, dl, db int) {
	if p.file != nil {
		hclpos.Shift(p.file.Body, dl, db)
	}
	for _, d := range p.diags {
		if d.Subject != nil {
			hclpos.Range(d.Subject, dl, db)
		}
		if d.Context != nil && d.Context != d.Subject {
			hclpos.Range(d.Context, dl, db)
		}
	}
}
