package lang

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/archform/archform/internal/snippet"
	"github.com/hashicorp/hcl/v2"
)

// ANSI colours of the text printer.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

// MaxPrinted is how many diagnostics WriteDiagnostics prints: the rest are
// counted ("and 39,900 more errors"), so that a file of 40,000 mistakes
// prints in a moment. JSON output lists them all.
const MaxPrinted = 100

// WriteDiagnostics prints diagnostics in Terraform's style, with the source
// line(s) of each subject and carets under its range (package snippet):
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
// After MaxPrinted diagnostics, the others are only counted.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool) error {
	bw := bufio.NewWriter(w)
	srcs := snippet.New(files)
	for i, d := range diags {
		if i == MaxPrinted {
			var errs, warns int
			for _, d := range diags[i:] {
				if d.Severity == hcl.DiagWarning {
					warns++
				} else {
					errs++
				}
			}
			var more []string
			if errs > 0 {
				more = append(more, fmt.Sprintf("%d more %s", errs, plural(errs, "error", "errors")))
			}
			if warns > 0 {
				more = append(more, fmt.Sprintf("%d more %s", warns, plural(warns, "warning", "warnings")))
			}
			fmt.Fprintf(bw, "\n... and %s, not shown (--format json lists every one).\n", strings.Join(more, " and "))
			break
		}
		if i > 0 {
			bw.WriteString("\n")
		}
		writeDiagnostic(bw, srcs, d, color)
	}
	return bw.Flush()
}

// TerminalSafe returns s with every character a terminal would act on
// rather than show written as a Go escape (package snippet, which quotes
// source lines through it too).
func TerminalSafe(s string) string { return snippet.TerminalSafe(s) }

// Count is n with its noun, singular or plural as n asks: "1 component",
// "3 components", "0 flows".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + plural(n, one, many)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func writeDiagnostic(w *bufio.Writer, srcs *snippet.Sources, d *hcl.Diagnostic, color bool) {
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
		w.WriteString("\n")
		fmt.Fprintf(w, "  on %s line %d", TerminalSafe(s.Filename), s.Start.Line)
		if ctx := srcs.Context(*s); ctx != "" {
			fmt.Fprintf(w, ", in %s", TerminalSafe(ctx))
		}
		w.WriteString(":\n")
		// An empty range at the very start marks a message about the whole
		// file, not about the block that happens to begin there: it gets
		// no source line.
		if s.End.Byte > 0 {
			if !color {
				col = ""
			}
			srcs.Write(w, *s, col)
		}
	}
	if d.Detail != "" {
		w.WriteString("\n")
		w.WriteString(TerminalSafe(d.Detail))
		w.WriteString("\n")
	}
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
