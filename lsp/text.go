package lsp

import (
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// text is a file's content with its line index, to convert between LSP
// positions (line, UTF-16 code unit) and byte offsets.
type text struct {
	s     string
	lines []int // byte offset of each line's start
}

func newText(s string) *text {
	t := &text{s: s, lines: []int{0}}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// lineEnd is the offset of the end of line l (before its newline).
func (t *text) lineEnd(l int) int {
	if l+1 < len(t.lines) {
		end := t.lines[l+1] - 1
		if end > t.lines[l] && t.s[end-1] == '\r' {
			end--
		}
		return end
	}
	return len(t.s)
}

// offset converts an LSP position to a byte offset, clamping a position past
// a line's end to the end and one past the last line to the end of the text.
func (t *text) offset(p Position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(t.lines) {
		return len(t.s)
	}
	off, end := t.lines[p.Line], t.lineEnd(p.Line)
	for units := 0; off < end && units < p.Character; {
		n, size := units16(t.s[off:end])
		units += n
		off += size
	}
	return off
}

// position converts a byte offset to an LSP position.
func (t *text) position(off int) Position {
	off = max(0, min(off, len(t.s)))
	line := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	units := 0
	for i := t.lines[line]; i < off; {
		n, size := units16(t.s[i:off])
		units += n
		i += size
	}
	return Position{Line: line, Character: units}
}

// units16 is the UTF-16 length and the byte size of the first character of
// s (an invalid byte counts as one unit, as editors show it).
func units16(s string) (units, size int) {
	r, size := utf8.DecodeRuneInString(s)
	if n := utf16.RuneLen(r); n > 0 {
		return n, size
	}
	return 1, size
}

// lineOf is the 0-based line of a byte offset.
func (t *text) lineOf(off int) int {
	off = max(0, min(off, len(t.s)))
	return sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
}

// posOffset is the byte offset of an HCL position: its Byte when that agrees
// with its Line (ranges of the parsed text always do), else its Line and
// Column (counting characters).
func (t *text) posOffset(p hcl.Pos) int {
	if p.Byte >= 0 && p.Byte <= len(t.s) && t.lineOf(p.Byte) == p.Line-1 {
		return p.Byte
	}
	line := p.Line - 1
	if line < 0 {
		return 0
	}
	if line >= len(t.lines) {
		return len(t.s)
	}
	off, end := t.lines[line], t.lineEnd(line)
	for col := 1; off < end && col < p.Column; col++ {
		_, size := utf8.DecodeRuneInString(t.s[off:end])
		off += size
	}
	return off
}

// rng converts an HCL range to an LSP range.
func (t *text) rng(r hcl.Range) Range {
	start := t.posOffset(r.Start)
	end := max(start, t.posOffset(r.End))
	return Range{Start: t.position(start), End: t.position(end)}
}

// apply returns the text after an LSP content change.
func (t *text) apply(c TextDocumentContentChangeEvent) string {
	if c.Range == nil {
		return c.Text
	}
	start, end := t.offset(c.Range.Start), t.offset(c.Range.End)
	if end < start {
		start, end = end, start
	}
	return t.s[:start] + c.Text + t.s[end:]
}
