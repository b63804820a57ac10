package format

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// WriteCompact writes the report as the text format's compact form, one
// line per finding (and per design diagnostic), as compilers print them
// and editors' problem matchers read them:
//
//	FILE:LINE:COL: SEVERITY RULE: MESSAGE
//
// A design diagnostic has no rule ("FILE:LINE:COL: error: SUMMARY: DETAIL"),
// and a finding with no place in a file no "FILE:LINE:COL: " prefix. A
// finding that stands for others (the same cause, or folded) ends with
// "(grouped: spof ×3)". Suppressed findings are written only with
// showSuppressed, ending with "(suppressed: REASON)". Nothing else is
// written: no summary, no counts, no stale baseline entries.
func WriteCompact(w io.Writer, r *analyze.Report, showSuppressed bool) error {
	ew := &errWriter{w: w}
	for _, d := range r.Diagnostics {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		ew.write(compactLine(d.Subject, sev, "", joinNonEmpty(d.Summary, d.Detail, ": ")))
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Suppressed != nil && !showSuppressed {
			continue
		}
		msg := f.Message
		if g := groupedCounts(f); g != "" {
			msg += " (grouped: " + g + ")"
		}
		if f.Suppressed != nil {
			msg += " (suppressed: " + f.Suppressed.Reason + ")"
		}
		rng := f.Range
		ew.write(compactLine(&rng, f.Severity.String(), f.Rule, msg))
	}
	return ew.err
}

// compactLine is one line: "FILE:LINE:COL: SEVERITY RULE: MESSAGE\n", its
// message on one line and safe to print on a terminal.
func compactLine(rng *hcl.Range, sev, rule, msg string) string {
	var b strings.Builder
	if rng != nil && rng.Filename != "" {
		fmt.Fprintf(&b, "%s:%d:%d: ", lang.TerminalSafe(filepath.ToSlash(rng.Filename)), max(rng.Start.Line, 1), max(rng.Start.Column, 1))
	}
	b.WriteString(sev)
	if rule != "" {
		b.WriteString(" " + rule)
	}
	b.WriteString(": ")
	b.WriteString(lang.TerminalSafe(oneLine(msg)))
	b.WriteString("\n")
	return b.String()
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\r\n", "\n")), " ")
}

// groupedCounts names the rules of a finding's grouped findings, with how
// many each has: "spof ×3, no-capacity"; "" when it has none.
func groupedCounts(f *analyze.Finding) string {
	var rules []string
	n := map[string]int{}
	for _, m := range f.Grouped {
		if n[m.Rule] == 0 {
			rules = append(rules, m.Rule)
		}
		n[m.Rule]++
	}
	for i, r := range rules {
		if n[r] > 1 {
			rules[i] = fmt.Sprintf("%s ×%d", r, n[r])
		}
	}
	return strings.Join(rules, ", ")
}
