package lang

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// A design file is a sequence of top-level items (blocks, mostly), which
// parse independently. HCL's lexer holds every token of what it parses at
// once, some 100 bytes a token: a file of 10,000 components (2.5 MB) makes
// a token slice of 100 MB, grown by copying, and the parse of the whole file
// peaks above 300 MB. ParseFile therefore parses a large file in pieces of
// a few kilobytes, cut where a top-level item starts (SplitTopLevel),
// each at its own position in the file, and joins their blocks into one
// body: the same syntax tree as the parse of the whole file, with a token
// slice per piece. A file whose pieces do not parse cleanly (any
// diagnostic, or an attribute set in two pieces) is parsed whole again, so
// that its diagnostics are those of the whole file. The language server
// parses the same pieces to reparse only what an edit changed.

// Files of piecesFrom bytes or more are parsed in pieces of about
// pieceSize bytes. Small pieces keep the token slices small: grown by
// doubling they cost twice their final size, where a large slice grows by a
// quarter at a time and costs some five times it (the parse of 10,000
// components allocates 540 MB whole, 390 MB in pieces of 4 KB).
const (
	piecesFrom = 64 << 10
	pieceSize  = 4 << 10
)

// SplitTopLevel returns the byte offsets where the top-level items of an
// HCL file start: 0, and each line start where a new item begins outside any
// bracket, string, heredoc or comment. On text it cannot follow (an
// unclosed bracket) it splits less, never wrongly: the rest of the file is
// then one piece.
func SplitTopLevel(s string) []int {
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

// parseNative parses a native-syntax file in pieces of about size bytes
// (whole when it has one).
func parseNative(src []byte, filename string, size int) (*hcl.File, hcl.Diagnostics) {
	cuts := pieceCuts(src, size)
	if len(cuts) == 1 {
		return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	var file *hcl.File
	var body *hclsyntax.Body
	pos := hcl.InitialPos
	for i, start := range cuts {
		end := len(src)
		if i+1 < len(cuts) {
			end = cuts[i+1]
		}
		f, diags := hclsyntax.ParseConfig(src[start:end], filename, pos)
		if len(diags) > 0 {
			return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
		}
		b := f.Body.(*hclsyntax.Body)
		if file == nil {
			// The first piece's file and body become the whole file's, so
			// that its navigation (which holds the body) sees every block.
			file, body = f, b
		} else {
			for name, a := range b.Attributes {
				if _, dup := body.Attributes[name]; dup {
					return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
				}
				body.Attributes[name] = a
			}
			body.Blocks = append(body.Blocks, b.Blocks...)
			body.SrcRange.End, body.EndRange = b.SrcRange.End, b.EndRange
		}
		pos = advance(pos, src[start:end])
	}
	file.Bytes = src
	return file, nil
}

// pieceCuts returns where the pieces of src start: 0, and each first
// top-level item start at least size bytes after the last cut.
func pieceCuts(src []byte, size int) []int {
	starts := SplitTopLevel(string(src))
	cuts := []int{0}
	for _, s := range starts[1:] {
		if s-cuts[len(cuts)-1] >= size {
			cuts = append(cuts, s)
		}
	}
	return cuts
}

// advance returns the position after text that starts at pos (text ends at
// a line start: the column is 1 again).
func advance(pos hcl.Pos, text []byte) hcl.Pos {
	for _, c := range text {
		if c == '\n' {
			pos.Line++
		}
	}
	return hcl.Pos{Line: pos.Line, Column: 1, Byte: pos.Byte + len(text)}
}
