// Package snippet prints the source of a range the way every archform
// diagnostic and finding shows it: the lines of the range, numbered, with
// carets (^^^^) under the part each line covers, at most MaxLines of them,
// and the top-level block the range is in ("service "api"") for the
// "on FILE line N, in ..." heading. One writer for lang's diagnostics and
// lint's findings, so that both show a range alike.
package snippet

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// MaxLines is how many source lines a snippet shows; "(N more lines)"
// follows when the range has more.
const MaxLines = 3

// ansiReset ends a colour.
const ansiReset = "\x1b[0m"

// Sources holds the files snippets are cut from, with what makes each
// lookup cheap: a heading's block is found by binary search, so printing
// many diagnostics takes time linear in their number.
type Sources struct {
	files  map[string]*hcl.File
	blocks map[string][]block
}

type block struct {
	start, end int
	name       string
}

// New returns the Sources of files (filename → parsed file, as
// lang.Design.Files); a nil map is no source.
func New(files map[string]*hcl.File) *Sources {
	return &Sources{files: files, blocks: map[string][]block{}}
}

// Context names the top-level block holding r (`service "api"`), as HCL's
// navigation does for diagnostics, or "". An empty range at the very start
// of a file is about the whole file: it has no block.
func (s *Sources) Context(r hcl.Range) string {
	f := s.files[r.Filename]
	if f == nil || r.End.Byte == 0 {
		return ""
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		// JSON's navigation, or the outline of a file loaded without
		// its syntax (lang.Outline).
		type contextStringer interface{ ContextString(offset int) string }
		if cs, ok := f.Nav.(contextStringer); ok {
			return cs.ContextString(r.Start.Byte)
		}
		return ""
	}
	bs, ok := s.blocks[r.Filename]
	if !ok {
		for _, b := range body.Blocks {
			rng := b.Range()
			name := b.Type
			for _, l := range b.Labels {
				name += fmt.Sprintf(" %q", l)
			}
			bs = append(bs, block{rng.Start.Byte, rng.End.Byte, name})
		}
		s.blocks[r.Filename] = bs
	}
	off := r.Start.Byte
	// Blocks are in source order and do not overlap: the first ending after
	// off is the only one that can hold it.
	i := sort.Search(len(bs), func(i int) bool { return bs[i].end > off })
	if i < len(bs) && bs[i].start <= off {
		return bs[i].name
	}
	return ""
}

// Write prints r's lines of source, numbered and indented by two blanks,
// with carets under the part of each line the range covers (coloured with
// the ANSI code color, when not ""). A range whose file is not among the
// sources, or that does not fit it, prints nothing.
func (s *Sources) Write(w io.Writer, r hcl.Range, color string) error {
	var src []byte
	if f := s.files[r.Filename]; f != nil {
		src = f.Bytes
	}
	return Write(w, src, r, color)
}

// Write prints the lines of src that r covers as Sources.Write does.
func Write(w io.Writer, src []byte, r hcl.Range, color string) error {
	if src == nil || r.Start.Byte < 0 || r.Start.Byte > len(src) || r.End.Byte < r.Start.Byte || r.End.Byte > len(src) || r.Start.Line < 1 {
		return nil
	}
	// The lines the range covers, each [start, end) without its newline.
	type line struct{ start, end int }
	var lines []line
	total := 0
	for at := bytes.LastIndexByte(src[:r.Start.Byte], '\n') + 1; ; {
		end := bytes.IndexByte(src[at:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += at
		}
		total++
		if len(lines) < MaxLines {
			lines = append(lines, line{at, end})
		}
		if r.End.Byte <= end+1 || end >= len(src) {
			break
		}
		if len(lines) == MaxLines {
			// Count the rest without keeping them: the lines that rest of
			// the range touches.
			rest := src[end+1 : r.End.Byte]
			total += bytes.Count(rest, []byte("\n"))
			if rest[len(rest)-1] != '\n' {
				total++
			}
			break
		}
		at = end + 1
	}
	width := len(fmt.Sprint(r.Start.Line + len(lines) - 1))
	var b strings.Builder
	for n, l := range lines {
		text := strings.TrimRight(string(src[l.start:l.end]), "\r")
		fmt.Fprintf(&b, "  %*d: %s\n", width, r.Start.Line+n, TerminalSafe(text))
		from, to := l.start, min(r.End.Byte, l.start+len(text))
		if n == 0 {
			from = r.Start.Byte
		} else {
			from += len(text) - len(strings.TrimLeft(text, " \t"))
		}
		carets := max(utf8.RuneCount(src[from:max(to, from)]), 1)
		fmt.Fprintf(&b, "  %*s  %s", width, "", indentLike(src[l.start:from]))
		if color != "" {
			b.WriteString(color)
		}
		b.WriteString(strings.Repeat("^", carets))
		if color != "" {
			b.WriteString(ansiReset)
		}
		b.WriteString("\n")
	}
	if more := total - len(lines); more > 0 {
		word := "lines"
		if more == 1 {
			word = "line"
		}
		fmt.Fprintf(&b, "  %*s  (%d more %s)\n", width, "", more, word)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// indentLike returns blanks as wide as prefix, keeping its tabs, so that a
// caret lines up in any tab width.
func indentLike(prefix []byte) string {
	var b strings.Builder
	for _, r := range string(prefix) {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// TerminalSafe returns s with every character a terminal would act on
// rather than show (control characters other than tab and line feed, DEL,
// C1 controls, bidirectional and other invisible format characters) written
// as a Go escape (\x1b, \u202e), so that no diagnostic, finding or source
// line quoted from a design sends an escape sequence to the terminal.
func TerminalSafe(s string) string {
	clean := true
	for i, r := range s {
		if unsafeRune(r) && (r != '\r' || i+1 == len(s) || s[i+1] != '\n') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case !unsafeRune(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	if r == '\t' || r == '\n' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}
