// Package format writes a lint report (analyze.Report) in lint's output
// formats: text in Terraform's diagnostic style with source lines and carets,
// JSON, SARIF 2.1.0 for code scanning, and GitHub Actions workflow commands.
// It is part of the lint driver, beside the engine (analyze), as
// staticcheck's lintcmd is beside its analyzers.
package format

import (
	"fmt"
	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lintcmd/baseline"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/archform/archform/internal/snippet"
	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// TextOptions control the text format.
type TextOptions struct {
	// Color uses ANSI colours.
	Color bool
	// ShowSuppressed prints suppressed findings too, with their reason.
	ShowSuppressed bool
	// Metrics appends a table of the components' and flows' figures.
	Metrics bool
	// Baseline is what a baseline did (nil: none was applied): its stale
	// entries are listed, and the summary counts the findings it accepted.
	Baseline *baseline.Applied
}

// ANSI styles, used only when asked.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

type textWriter struct {
	*errWriter
	files map[string]*hcl.File
	srcs  *snippet.Sources
	color bool
}

func (t *textWriter) style(code, s string) string {
	if !t.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func severityStyle(s analyze.Severity) (label, code string) {
	switch s {
	case analyze.Error:
		return "Error", ansiRed
	case analyze.Warning:
		return "Warning", ansiYellow
	}
	return "Info", ansiCyan
}

// WriteText writes the report the way Terraform prints diagnostics: per
// finding its severity, message and rule, where it is with the source lines
// and carets under the range, the detail, related locations and a pointer to
// `archform explain`; then stale baseline entries and a summary line.
func WriteText(w io.Writer, r *analyze.Report, opts TextOptions) error {
	t := &textWriter{errWriter: &errWriter{w: w}, color: opts.Color}
	if r.Design != nil {
		t.files = r.Design.Files
	}
	t.srcs = snippet.New(t.files)
	if len(r.Diagnostics) > 0 {
		if err := lang.WriteDiagnostics(w, t.files, r.Diagnostics, opts.Color); err != nil {
			return err
		}
		t.printf("\n")
	}
	t.classes(r)
	for _, f := range r.Findings {
		if f.Suppressed != nil && !opts.ShowSuppressed {
			continue
		}
		t.finding(f)
	}
	var stale []baseline.Entry
	if opts.Baseline != nil {
		stale = opts.Baseline.Stale
	}
	if len(stale) > 0 {
		t.printf("%s %d baseline %s no longer %s a finding (fixed, or changed); write the baseline again:\n",
			t.style(ansiBold, "Baseline:"), len(stale), pluralWord(len(stale), "entry", "entries"), pluralWord(len(stale), "matches", "match"))
		for _, e := range stale {
			t.printf("  - %s %s: %s\n", e.Rule, lang.TerminalSafe(e.Subject), lang.TerminalSafe(e.Message))
		}
		t.printf("\n")
	}
	if r.Invalid() {
		n := 0
		for _, d := range r.Diagnostics {
			if d.Severity == hcl.DiagError {
				n++
			}
		}
		t.printf("The design is invalid: %d %s.\n", n, pluralWord(n, "error", "errors"))
		return t.err
	}
	if opts.Metrics {
		if err := t.metrics(r); err != nil {
			return err
		}
	}
	t.printf("%s\n", summaryLine(r, opts.Baseline))
	return t.err
}

// classes prints the summary that opens the report: a line per problem
// class, the most severe first ("Error:   3 single points of failure:
// service.api (zone loss), ... (spof, zone-failure-capacity)"), the rules
// that found them last; then a blank line; nothing when
// there is no unsuppressed finding.
func (t *textWriter) classes(r *analyze.Report) {
	cs := r.Classes()
	for i := range cs {
		c := &cs[i]
		label, code := severityStyle(c.Severity)
		pad := strings.Repeat(" ", len("Warning:")-len(label+":"))
		t.printf("%s%s %s (%s)\n", t.style(ansiBold+code, label+":"), pad, lang.TerminalSafe(c.Text()), strings.Join(c.Rules, ", "))
	}
	if len(cs) > 0 {
		t.printf("\n")
	}
}

// summary is "3 errors, 2 warnings, 1 info (1 suppressed, 4 in baseline)".
func summaryLine(r *analyze.Report, applied *baseline.Applied) string {
	e, wn, i, s := r.Counts()
	out := fmt.Sprintf("%d %s, %d %s, %d info", e, pluralWord(e, "error", "errors"), wn, pluralWord(wn, "warning", "warnings"), i)
	var extra []string
	if s > 0 {
		extra = append(extra, fmt.Sprintf("%d suppressed", s))
	}
	if applied != nil && len(applied.Matched) > 0 {
		n := len(applied.Matched)
		extra = append(extra, fmt.Sprintf("%d in baseline", n))
	}
	if len(extra) > 0 {
		out += " (" + strings.Join(extra, ", ") + ")"
	}
	return out
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// relatedShown is how many related locations a finding shows before it
// counts the rest ("and 8 more"), so that a finding stays a screenful
// however many flows need its tier. One more than that is shown in full:
// its line would take no more room than the count.
const relatedShown = 5

func (t *textWriter) finding(f analyze.Finding) {
	label, code := severityStyle(f.Severity)
	t.printf("%s %s (%s)\n", t.style(ansiBold+code, label+":"), t.style(ansiBold, lang.TerminalSafe(f.Message)), f.Rule)
	if f.Suppressed != nil {
		t.printf("  Suppressed: %s\n", f.Suppressed.Reason)
	}
	t.printf("\n")
	t.location(f.Range, code)
	if f.Detail != "" {
		t.printf("%s\n\n", indentLines(lang.TerminalSafe(f.Detail), "  "))
	}
	for i, rel := range f.Related {
		if i == relatedShown && len(f.Related) > relatedShown+1 {
			t.printf("  Related: and %d more (--format json lists them)\n", len(f.Related)-i)
			break
		}
		if rel.Range.Filename == "" {
			t.printf("  Related: %s\n", lang.TerminalSafe(rel.Message))
			continue
		}
		t.printf("  Related: %s (%s line %d)\n", lang.TerminalSafe(rel.Message), filepath.ToSlash(rel.Range.Filename), rel.Range.Start.Line)
	}
	if len(f.Related) > 0 {
		t.printf("\n")
	}
	for i := range f.Grouped {
		m := &f.Grouped[i]
		t.printf("  %s: %s\n", memberLabel(&f, m), memberLine(m))
	}
	if len(f.Grouped) > 0 {
		t.printf("\n")
	}
	t.printf("  %s\n\n", explainLine(&f))
}

// location prints "  on FILE line N, in service "api":" and the source lines
// of rng with carets under it (package snippet).
func (t *textWriter) location(rng hcl.Range, code string) {
	if rng.Filename == "" {
		return
	}
	ctx := t.srcs.Context(rng)
	if ctx != "" {
		ctx = ", in " + ctx
	}
	t.printf("  on %s line %d%s:\n", lang.TerminalSafe(filepath.ToSlash(rng.Filename)), rng.Start.Line, lang.TerminalSafe(ctx))
	if !t.color {
		code = ""
	}
	if t.err == nil {
		t.err = t.srcs.Write(t.w, rng, code)
	}
	t.printf("\n")
}

func indentLines(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// metrics prints the components' and flows' figures as two tables.
func (t *textWriter) metrics(r *analyze.Report) error {
	res, err := r.Results()
	if err != nil {
		return err
	}
	rows := [][]string{{"component", "load rps", "utilization", "availability", "down", "latency mean ms", "p99 ms"}}
	for _, c := range r.Design.Components {
		cr := res.Components[c.Addr]
		if cr == nil {
			rows = append(rows, []string{c.Addr, "-", "-", "-", "-", "-", "-"})
			continue
		}
		load, util := "-", "-"
		if cr.Load != nil {
			load = fixedDigits(cr.Load.Total(), 1)
			if c.CapacityRPS > 0 {
				util = fixedDigits(cr.Load.Utilization, 3)
			}
		}
		rows = append(rows, []string{c.Addr, load, util,
			formatAvailability(cr.Availability), downtime(cr.Availability), fixedDigits(cr.LatencyMean, 1), fixedDigits(cr.LatencyP99, 1)})
	}
	t.table(rows)
	rows = [][]string{{"flow", "read rps", "write rps", "availability", "down", "SLO", "latency mean ms", "p99 ms", "SLO p99 ms"}}
	for _, name := range res.FlowOrder {
		fr := res.Flows[name]
		if fr == nil {
			continue
		}
		sloA, sloP := "-", "-"
		if fr.Flow != nil {
			if fr.Flow.SLO.Availability > 0 {
				sloA = formatAvailability(fr.Flow.SLO.Availability)
			}
			if fr.Flow.SLO.LatencyP99 > 0 {
				sloP = fixedDigits(float64(fr.Flow.SLO.LatencyP99.Microseconds())/1000, 1)
			}
		}
		rows = append(rows, []string{name, fixedDigits(fr.ReadRPS, 1), fixedDigits(fr.WriteRPS, 1), formatAvailability(fr.Availability),
			downtime(fr.Availability), sloA, fixedDigits(fr.LatencyMean, 1), fixedDigits(fr.LatencyP99, 1), sloP})
	}
	t.table(rows)
	return nil
}

// table prints rows with the first column left-aligned and the others
// right-aligned, two spaces apart, then a blank line.
func (t *textWriter) table(rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i == 0 {
				b.WriteString(cell + pad)
			} else {
				b.WriteString("  " + pad + cell)
			}
		}
		t.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
	t.printf("\n")
}

func fixedDigits(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// formatAvailability prints an availability with its nines, never 100% unless
// it is 1 (analyze.Nines): 0.99999999 is "99.9999990%".
func formatAvailability(a float64) string {
	if math.IsNaN(a) || a <= 0 {
		return "-"
	}
	return analyze.Nines(a)
}

// downtime is what an availability means in a 30-day month: "43 min/month".
func downtime(a float64) string {
	if math.IsNaN(a) || a <= 0 {
		return "-"
	}
	return analyze.Downtime(a)
}

// formatNumber prints a parameter value the way it would be written.
