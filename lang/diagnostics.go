package lang

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// ANSI colours of the text printer.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

// maxSnippetLines is how many source lines a diagnostic shows at most.
const maxSnippetLines = 4

// WriteDiagnostics prints diagnostics in Terraform's style, with the source
// line(s) of each subject and carets under its range:
//
//	Error: Unsupported argument
//
//	  on shop.arch.hcl line 42, in service "api":
//	  42:   replicass = 12
//	        ^^^^^^^^^
//
//	An argument named "replicass" is not expected here. Did you mean "replicas"?
//
// files supplies the source (Design.Files); a diagnostic whose file is not
// there is printed without it. Filenames are printed as they are in the
// ranges. With color, severities and carets are coloured with ANSI codes.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool) error {
	bw := bufio.NewWriter(w)
	for i, d := range diags {
		if i > 0 {
			bw.WriteString("\n")
		}
		writeDiagnostic(bw, files, d, color)
	}
	return bw.Flush()
}

// TerminalSafe returns s with every character a terminal would act on
// rather than show (control characters other than tab and line feed,
// DEL, C1 controls, bidirectional and other invisible format characters)
// written as a Go escape (\x1b, \u202e), so that no diagnostic, finding or
// source line quoted from a design sends an escape sequence to the
// terminal.
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

func writeDiagnostic(w *bufio.Writer, files map[string]*hcl.File, d *hcl.Diagnostic, color bool) {
	sev, col := "Error", ansiRed
	if d.Severity == hcl.DiagWarning {
		sev, col = "Warning", ansiYellow
	}
	if color {
		fmt.Fprintf(w, "%s%s%s: %s%s\n", ansiBold, col, sev, TerminalSafe(d.Summary), ansiReset)
	} else {
		fmt.Fprintf(w, "%s: %s\n", sev, TerminalSafe(d.Summary))
	}
	if s := d.Subject; s != nil {
		var src []byte
		var ctx string
		if f := files[s.Filename]; f != nil {
			src = f.Bytes
			// An empty range at the very start marks a message about the
			// whole file, not about the block that happens to begin there:
			// it gets neither a block context nor a source line.
			if s.End.Byte > 0 {
				ctx = contextString(f, s.Start.Byte)
			}
		}
		w.WriteString("\n")
		fmt.Fprintf(w, "  on %s line %d", TerminalSafe(s.Filename), s.Start.Line)
		if ctx != "" {
			fmt.Fprintf(w, ", in %s", TerminalSafe(ctx))
		}
		w.WriteString(":\n")
		if s.End.Byte > 0 {
			writeSnippet(w, src, *s, color, col)
		}
	}
	if d.Detail != "" {
		w.WriteString("\n")
		w.WriteString(TerminalSafe(d.Detail))
		w.WriteString("\n")
	}
}

func contextString(f *hcl.File, offset int) string {
	type contextStringer interface {
		ContextString(offset int) string
	}
	if cs, ok := f.Nav.(contextStringer); ok && f.Body != nil {
		return cs.ContextString(offset)
	}
	return ""
}

// writeSnippet prints the subject's lines, numbered, with carets under the
// part of each line the range covers.
func writeSnippet(w *bufio.Writer, src []byte, r hcl.Range, color bool, col string) {
	if src == nil || r.Start.Byte < 0 || r.Start.Byte > len(src) || r.End.Byte < r.Start.Byte || r.End.Byte > len(src) {
		return
	}
	lineStart := bytes.LastIndexByte(src[:r.Start.Byte], '\n') + 1
	width := len(strconv.Itoa(r.Start.Line + maxSnippetLines))
	line := r.Start.Line
	for n := 0; lineStart <= len(src) && n < maxSnippetLines; n++ {
		lineEnd := bytes.IndexByte(src[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(src)
		} else {
			lineEnd += lineStart
		}
		text := strings.TrimRight(string(src[lineStart:lineEnd]), "\r")
		fmt.Fprintf(w, "  %*d: %s\n", width, line, TerminalSafe(text))
		// Carets under [from, to) of this line.
		from, to := max(r.Start.Byte, lineStart), min(r.End.Byte, lineStart+len(text))
		if to > from || n == 0 {
			pad := indentLike([]byte(TerminalSafe(string(src[lineStart:from]))))
			carets := max(utf8.RuneCountInString(TerminalSafe(string(src[from:max(to, from)]))), 1)
			fmt.Fprintf(w, "  %*s  %s", width, "", pad)
			if color {
				w.WriteString(col)
			}
			w.WriteString(strings.Repeat("^", carets))
			if color {
				w.WriteString(ansiReset)
			}
			w.WriteString("\n")
		}
		if r.End.Byte <= lineEnd+1 || lineEnd >= len(src) {
			return
		}
		lineStart, line = lineEnd+1, line+1
	}
	fmt.Fprintf(w, "  %*s  ...\n", width, "")
}

// indentLike returns blanks as wide as prefix, keeping its tabs.
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

// JSONDiagnostic is a diagnostic as `validate --format json` prints it.
type JSONDiagnostic struct {
	Severity string     `json:"severity"` // "error" or "warning"
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *JSONRange `json:"range,omitempty"`
}

// JSONRange is a source range: 1-based lines and columns, 0-based bytes.
type JSONRange struct {
	Filename string  `json:"filename"`
	Start    JSONPos `json:"start"`
	End      JSONPos `json:"end"`
}

// JSONPos is a position in a file.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// NewJSONRange converts an hcl.Range.
func NewJSONRange(r hcl.Range) *JSONRange {
	return &JSONRange{
		Filename: r.Filename,
		Start:    JSONPos{r.Start.Line, r.Start.Column, r.Start.Byte},
		End:      JSONPos{r.End.Line, r.End.Column, r.End.Byte},
	}
}

// JSONDiagnostics converts diagnostics, keeping their order.
func JSONDiagnostics(diags hcl.Diagnostics) []JSONDiagnostic {
	out := make([]JSONDiagnostic, 0, len(diags))
	for _, d := range diags {
		jd := JSONDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if d.Subject != nil {
			jd.Range = NewJSONRange(*d.Subject)
		}
		out = append(out, jd)
	}
	return out
}

// JSONValidation is the object `validate --format json` prints, shaped like
// `terraform validate -json`.
type JSONValidation struct {
	Valid        bool             `json:"valid"`
	ErrorCount   int              `json:"error_count"`
	WarningCount int              `json:"warning_count"`
	Diagnostics  []JSONDiagnostic `json:"diagnostics"`
}

// WriteDiagnosticsJSON prints a JSONValidation of diags, indented, with a
// final newline.
func WriteDiagnosticsJSON(w io.Writer, diags hcl.Diagnostics) error {
	v := JSONValidation{Valid: !diags.HasErrors(), Diagnostics: JSONDiagnostics(diags)}
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning {
			v.WarningCount++
		} else {
			v.ErrorCount++
		}
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
