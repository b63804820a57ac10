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
// item starts, parses each piece on its own (at the position 1:1, so that a
// piece's parse does not depend on where it is), keeps the parses by their
// text, and on a change parses only the pieces whose text changed. A reused
// piece that moved (an edit above it added a line or a character) has every
// position in its syntax tree moved by the same number of lines and bytes;
// its columns do not change, since a piece starts at the start of a line.
// The pieces' blocks then form one body, and the file decodes as if it had
// been parsed whole.

// splitTopLevel returns the byte offsets where the top-level items of an HCL
// file start: 0, and each line start where a new item begins outside any
// bracket, string, heredoc or comment. On text it cannot follow (an
// unclosed bracket) it splits less, never wrongly: the rest of the file is
// then one piece.
func splitTopLevel(s string) []int {
	starts := []int{0}
	// stack holds the open contexts: code (with its bracket depth) at the
	// bottom and inside template interpolations, strings between.
	type frame struct {
		str   bool
		depth int
	}
	stack := []frame{{}}
	lineStart := true
	for i := 0; i < len(s); {
		top := &stack[len(stack)-1]
		c := s[i]
		if top.str {
			switch {
			case c == '\\':
				i += 2
				continue
			case c == '"':
				stack = stack[:len(stack)-1]
			case c == '\n':
				// A quoted string cannot span lines: the parser ends it
				// here with an error; so does the split.
				stack = stack[:len(stack)-1]
				continue
			case (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == c:
				i += 2 // $${ and %%{ are literal
				continue
			case (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{':
				stack = append(stack, frame{})
				i += 2
				continue
			}
			i++
			continue
		}
		switch c {
		case ' ', '\t', '\r':
			i++
			continue
		case '\n':
			lineStart = true
			i++
			continue
		}
		if lineStart && len(stack) == 1 && top.depth == 0 && i > 0 && isIdentStart(c) {
			starts = append(starts, lineBegin(s, i))
		}
		lineStart = false
		switch {
		case c == '#' || c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return starts
			}
			i += 2 + end + 2
			continue
		case c == '"':
			stack = append(stack, frame{str: true})
		case c == '{' || c == '[' || c == '(':
			top.depth++
		case c == '}' || c == ']' || c == ')':
			if top.depth > 0 {
				top.depth--
			} else if len(stack) > 1 {
				stack = stack[:len(stack)-1] // the end of an interpolation
			}
		case c == '<' && strings.HasPrefix(s[i:], "<<"):
			if next, ok := skipHeredoc(s, i); ok {
				i = next
				continue
			}
		}
		i++
	}
	return starts
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// lineBegin is the offset of the start of the line holding i.
func lineBegin(s string, i int) int {
	return strings.LastIndexByte(s[:i], '\n') + 1
}

// skipHeredoc returns the offset just after the closing marker line of the
// heredoc that opens at i (<<MARKER or <<-MARKER at the end of a line).
func skipHeredoc(s string, i int) (int, bool) {
	j := i + 2
	if j < len(s) && s[j] == '-' {
		j++
	}
	k := j
	for k < len(s) && (isIdentStart(s[k]) || s[k] >= '0' && s[k] <= '9' || s[k] == '-') {
		k++
	}
	marker := s[j:k]
	if marker == "" {
		return 0, false
	}
	eol := strings.IndexByte(s[k:], '\n')
	if eol < 0 || strings.TrimSpace(s[k:k+eol]) != "" {
		return 0, false
	}
	for p := k + eol + 1; p < len(s); {
		end := strings.IndexByte(s[p:], '\n')
		line := s[p:]
		if end >= 0 {
			line = s[p : p+end]
		}
		if strings.TrimSpace(line) == marker {
			if end < 0 {
				return len(s), true
			}
			return p + end, true
		}
		if end < 0 {
			break
		}
		p += end + 1
	}
	return len(s), true // unclosed: the rest of the file
}

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
	starts := splitTopLevel(content)
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
