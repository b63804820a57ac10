package lang

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Limits on a design file. The HCL parsers are recursive descent parsers
// without a depth limit of their own: on input nested a million levels deep
// they would exhaust the goroutine stack, which Go cannot recover from. A
// cheap scan before parsing keeps such input out, with a clear message.
const (
	// MaxFileSize is the largest design file archform reads (16 MiB; a
	// generated design of 10,000 components is 4.6 MiB).
	MaxFileSize = 16 << 20
	// MaxNesting is the deepest nesting of brackets, braces, parentheses,
	// template interpolations and chained unary, binary or conditional
	// operators accepted in a design file.
	MaxNesting = 256
)

// checkSource reports a file that must not be handed to the parser: too
// large, binary, not UTF-8, or nested too deep. The scan costs a small
// fraction of the parse.
func checkSource(src []byte, filename string, json bool) hcl.Diagnostics {
	if len(src) > MaxFileSize {
		return hcl.Diagnostics{fileTooLarge(filename, int64(len(src)))}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		rng := rangeAt(src, filename, i)
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Not a text file",
			Detail:   fmt.Sprintf("%s contains a NUL byte at offset %d: it looks like a binary file, not a design. Design files are UTF-8 text.", filename, i),
			Subject:  &rng,
		}}
	}
	if !utf8.Valid(src) {
		i := firstInvalidUTF8(src)
		rng := rangeAt(src, filename, i)
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid character encoding",
			Detail:   fmt.Sprintf("%s is not valid UTF-8 (first invalid byte at offset %d). Design files are UTF-8 text.", filename, i),
			Subject:  &rng,
		}}
	}
	if i := nestingTooDeep(src, json); i >= 0 {
		rng := rangeAt(src, filename, i)
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Nesting too deep",
			Detail:   fmt.Sprintf("Expressions and blocks may be nested at most %d levels deep (brackets, braces, parentheses, interpolations and chained operators); this file goes deeper here.", MaxNesting),
			Subject:  &rng,
		}}
	}
	return nil
}

func fileTooLarge(filename string, size int64) *hcl.Diagnostic {
	rng := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "File too large",
		Detail:   fmt.Sprintf("%s is %s; archform reads design files of at most %s. Split the design over several files in one directory.", filename, byteSize(size), byteSize(MaxFileSize)),
		Subject:  &rng,
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(src)
}

// rangeAt is the one-character range at byte offset off.
func rangeAt(src []byte, filename string, off int) hcl.Range {
	if off > len(src) {
		off = len(src)
	}
	line, col := 1, 1
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line, col = line+1, 1
		} else if src[i]&0xC0 != 0x80 {
			col++
		}
	}
	start := hcl.Pos{Line: line, Column: col, Byte: off}
	end := start
	if off < len(src) && src[off] != '\n' {
		end = hcl.Pos{Line: line, Column: col + 1, Byte: off + 1}
	}
	return hcl.Range{Filename: filename, Start: start, End: end}
}

type scanMode uint8

const (
	modeBrace  scanMode = iota // { } body or object
	modeList                   // [ ] or ( ): newlines do not end an item
	modeInterp                 // ${ } or %{ }
	modeString                 // "..."
	modeHeredoc
)

type scanFrame struct {
	mode   scanMode
	ops    int    // unary and conditional operators counted in the current item
	marker []byte // heredoc end marker
}

// nestingTooDeep scans src the way the HCL lexer splits it (comments,
// quoted strings, heredocs, interpolations) and returns the offset at which
// the parser's recursion would pass MaxNesting, or -1. It over-estimates
// (every "-" counts as a possible unary minus), which is harmless at a limit
// no real design comes near.
func nestingTooDeep(src []byte, json bool) int {
	stack := []scanFrame{{mode: modeBrace}}
	depth := 0 // frames beyond the first plus every frame's ops
	push := func(m scanMode) { stack = append(stack, scanFrame{mode: m}); depth++ }
	pop := func() {
		if len(stack) > 1 {
			depth -= 1 + stack[len(stack)-1].ops
			stack = stack[:len(stack)-1]
		}
	}
	count := func() { stack[len(stack)-1].ops++; depth++ }
	reset := func() { top := &stack[len(stack)-1]; depth -= top.ops; top.ops = 0 }
	lineStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		top := &stack[len(stack)-1]
		atLineStart := lineStart
		lineStart = c == '\n'
		switch top.mode {
		case modeString:
			switch {
			case c == '\\':
				i++
			case c == '"' || c == '\n':
				pop()
			case json:
				// JSON strings are templates: count what could nest in them.
				if (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{' {
					top.ops = max(top.ops, 1)
				}
				if top.ops > 0 && bytes.IndexByte([]byte("${[(-!?"), c) >= 0 {
					count()
				}
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				if i+2 < len(src) && src[i+2] == c { // $${ and %%{ escapes
					i += 2
					continue
				}
				if c == '%' {
					count() // directives nest until their end keyword
				}
				i++
				push(modeInterp)
			}
		case modeHeredoc:
			if atLineStart {
				line := src[i:]
				if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
					line = line[:nl]
				}
				if bytes.Equal(bytes.TrimSpace(line), top.marker) {
					i += len(line) - 1
					pop()
					continue
				}
			}
			if (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{' {
				if i+2 < len(src) && src[i+2] == c {
					i += 2
					continue
				}
				if c == '%' {
					count()
				}
				i++
				push(modeInterp)
			}
		default:
			switch c {
			case '"':
				push(modeString)
			case '{':
				push(modeBrace)
			case '[', '(':
				push(modeList)
			case '}', ']', ')':
				pop()
			case ',', '=':
				reset()
			case '\n':
				if top.mode == modeBrace {
					reset()
				}
			case '-', '!', '?', '+', '*', '%', '&', '|', '>':
				// Unary, conditional and binary operators: a chain of binary
				// operators is a left-deep tree that evaluation walks
				// recursively, as deep as the chain is long.
				if json {
					break
				}
				count()
			case '#':
				if !json {
					i = skipLine(src, i) - 1
				}
			case '/':
				if json || i+1 >= len(src) {
					break
				}
				switch src[i+1] {
				case '/':
					i = skipLine(src, i) - 1
				case '*':
					end := bytes.Index(src[i+2:], []byte("*/"))
					if end < 0 {
						return -1
					}
					i += end + 3
				default:
					count() // division
				}
			case '<':
				if json {
					break
				}
				if i+2 >= len(src) || src[i+1] != '<' {
					count() // comparison
					break
				}
				j := i + 2
				if src[j] == '-' {
					j++
				}
				k := j
				for k < len(src) && (isIdentByte(src[k])) {
					k++
				}
				if k > j && k < len(src) && (src[k] == '\n' || src[k] == '\r') {
					marker := src[j:k]
					push(modeHeredoc)
					stack[len(stack)-1].marker = marker
					if src[k] == '\r' && k+1 < len(src) {
						k++
					}
					i = k
					lineStart = true
				}
			}
		}
		if depth > MaxNesting {
			return i
		}
	}
	return -1
}

func skipLine(src []byte, i int) int {
	nl := bytes.IndexByte(src[i:], '\n')
	if nl < 0 {
		return len(src)
	}
	return i + nl
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
