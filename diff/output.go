package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
)

// CommentMarker starts every Markdown report, so that the GitHub Action
// finds its own pull-request comment to update instead of adding another.
const CommentMarker = "<!-- archform-diff -->"

// WriteText writes the comparison for people.
func WriteText(w io.Writer, r *Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "archform diff %s → %s\n\n", r.Base.Label, r.Head.Label)
	for _, v := range r.Verdict {
		fmt.Fprintf(&b, "  %s\n", v)
	}
	if len(r.Changes) > 0 {
		fmt.Fprintf(&b, "\nChanges (%d):\n", len(r.Changes))
		for _, c := range r.Changes {
			fmt.Fprintf(&b, "  %s\n", changeLine(c))
		}
	}
	if len(r.New) > 0 {
		fmt.Fprintf(&b, "\nNew findings (%d):\n", len(r.New))
		for _, f := range r.New {
			fmt.Fprintf(&b, "  %s %s [%s] %s: %s\n", position(f.Finding), f.Finding.Severity, f.Finding.Rule, f.Finding.Subject, f.Finding.Message)
		}
	}
	if len(r.Resolved) > 0 {
		fmt.Fprintf(&b, "\nResolved findings (%d):\n", len(r.Resolved))
		for _, f := range r.Resolved {
			fmt.Fprintf(&b, "  %s [%s] %s: %s\n", f.Finding.Severity, f.Finding.Rule, f.Finding.Subject, f.Finding.Message)
		}
	}
	if len(r.Flows) > 0 {
		b.WriteString("\nFlows:\n")
		rows := [][]string{{"flow", "availability", "down per month", "latency mean", "latency p99"}}
		for _, f := range r.Flows {
			rows = append(rows, flowRow(f))
		}
		table(&b, rows)
	}
	if len(r.Tiers) > 0 {
		b.WriteString("\nTiers:\n")
		rows := [][]string{{"component", "instances", "load", "utilization", "headroom"}}
		for _, t := range r.Tiers {
			rows = append(rows, tierRow(t))
		}
		table(&b, rows)
	}
	if len(r.Survival) > 0 {
		b.WriteString("\nZone and region losses (flows down):\n")
		rows := [][]string{{"scenario", "base", "head"}}
		for _, s := range r.Survival {
			rows = append(rows, survivalRow(s))
		}
		table(&b, rows)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the comparison as a pull-request comment: the verdict
// first, then tables, the long parts collapsed.
func WriteMarkdown(w io.Writer, r *Result) error {
	var b strings.Builder
	b.WriteString(CommentMarker + "\n")
	b.WriteString("### archform: architecture review\n\n")
	for i, v := range r.Verdict {
		if i == 0 {
			fmt.Fprintf(&b, "**%s**\n", mdEscape(v))
		} else {
			fmt.Fprintf(&b, "- %s\n", mdEscape(v))
		}
	}
	fmt.Fprintf(&b, "\n%s → %s: %d changes, %d new findings, %d resolved.\n",
		mdCode(r.Base.Label), mdCode(r.Head.Label), len(r.Changes), len(r.New), len(r.Resolved))
	if len(r.New) > 0 {
		b.WriteString("\n#### New findings\n\n| severity | rule | subject | message |\n|---|---|---|---|\n")
		for _, f := range r.New {
			fmt.Fprintf(&b, "| %s | `%s` | `%s` | %s |\n", f.Finding.Severity, f.Finding.Rule, f.Finding.Subject, mdCell(f.Finding.Message))
		}
	}
	if len(r.Flows) > 0 {
		b.WriteString("\n#### Flows\n\n| flow | availability | down per month | latency mean | latency p99 |\n|---|---|---|---|---|\n")
		for _, f := range r.Flows {
			b.WriteString(mdRow(flowRow(f)))
		}
	}
	if len(r.Survival) > 0 {
		b.WriteString("\n#### Zone and region losses\n\n| scenario | flows down before | flows down after |\n|---|---|---|\n")
		for _, s := range r.Survival {
			b.WriteString(mdRow(survivalRow(s)))
		}
	}
	if len(r.Resolved) > 0 {
		fmt.Fprintf(&b, "\n<details><summary>Resolved findings (%d)</summary>\n\n| severity | rule | subject | message |\n|---|---|---|---|\n", len(r.Resolved))
		for _, f := range r.Resolved {
			fmt.Fprintf(&b, "| %s | `%s` | `%s` | %s |\n", f.Finding.Severity, f.Finding.Rule, f.Finding.Subject, mdCell(f.Finding.Message))
		}
		b.WriteString("\n</details>\n")
	}
	if len(r.Tiers) > 0 {
		fmt.Fprintf(&b, "\n<details><summary>Tiers whose figures moved (%d)</summary>\n\n| component | instances | load | utilization | headroom |\n|---|---|---|---|---|\n", len(r.Tiers))
		for _, t := range r.Tiers {
			b.WriteString(mdRow(tierRow(t)))
		}
		b.WriteString("\n</details>\n")
	}
	if len(r.Changes) > 0 {
		fmt.Fprintf(&b, "\n<details><summary>Changes (%d)</summary>\n\n| element | change | subject | setting | before | after |\n|---|---|---|---|---|---|\n", len(r.Changes))
		for _, c := range r.Changes {
			fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s | %s |\n", c.Element, c.Op, c.Subject, mdCodeOrEmpty(c.Setting), mdCell(c.Base), mdCell(c.Head))
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonFinding struct {
	Fingerprint string         `json:"fingerprint"`
	Rule        string         `json:"rule"`
	Severity    string         `json:"severity"`
	Subject     string         `json:"subject"`
	Message     string         `json:"message"`
	File        string         `json:"file,omitempty"`
	Line        int            `json:"line,omitempty"`
	Column      int            `json:"column,omitempty"`
	Data        map[string]any `json:"data,omitempty"`
}

type jsonResult struct {
	Base     string        `json:"base"`
	Head     string        `json:"head"`
	Verdict  []string      `json:"verdict"`
	Worse    bool          `json:"worse"`
	Changes  []Change      `json:"changes"`
	New      []jsonFinding `json:"new_findings"`
	Resolved []jsonFinding `json:"resolved_findings"`
	Flows    []FlowDelta   `json:"flows"`
	Tiers    []TierDelta   `json:"tiers"`
	Survival []Survival    `json:"survival"`
}

func toJSONFindings(fs []FindingRef) []jsonFinding {
	out := []jsonFinding{}
	for _, f := range fs {
		out = append(out, jsonFinding{Fingerprint: f.Fingerprint, Rule: f.Finding.Rule, Severity: f.Finding.Severity.String(),
			Subject: f.Finding.Subject, Message: f.Finding.Message, File: f.Finding.Range.Filename,
			Line: f.Finding.Range.Start.Line, Column: f.Finding.Range.Start.Column})
	}
	return out
}

// WriteJSON writes the comparison for tools. Infinite figures (a tier with
// no capacity has unbounded headroom) are written as null.
func WriteJSON(w io.Writer, r *Result) error {
	j := jsonResult{Base: r.Base.Label, Head: r.Head.Label, Verdict: r.Verdict, Worse: r.AnyWorse(),
		Changes: r.Changes, New: toJSONFindings(r.New), Resolved: toJSONFindings(r.Resolved),
		Flows: r.Flows, Tiers: finiteTiers(r.Tiers), Survival: r.Survival}
	if j.Changes == nil {
		j.Changes = []Change{}
	}
	if j.Flows == nil {
		j.Flows = []FlowDelta{}
	}
	if j.Survival == nil {
		j.Survival = []Survival{}
	}
	for i := range j.Survival {
		if j.Survival[i].Base == nil {
			j.Survival[i].Base = []string{}
		}
		if j.Survival[i].Head == nil {
			j.Survival[i].Head = []string{}
		}
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// finiteTiers copies the tiers with infinite headroom clamped to the
// largest float, which JSON can hold (a tier with no load has unbounded
// headroom).
func finiteTiers(ts []TierDelta) []TierDelta {
	out := make([]TierDelta, 0, len(ts))
	fix := func(t *TierFigures) *TierFigures {
		if t == nil {
			return nil
		}
		c := *t
		if math.IsInf(c.Headroom, 0) || math.IsNaN(c.Headroom) {
			c.Headroom = math.MaxFloat64
		}
		return &c
	}
	for _, t := range ts {
		out = append(out, TierDelta{Addr: t.Addr, Base: fix(t.Base), Head: fix(t.Head), Worse: t.Worse})
	}
	return out
}

// NewFindingsReport is the head version's report with only the findings the
// change introduces, for the SARIF writer.
func (r *Result) NewFindingsReport() *analyze.Report {
	rep := *r.Head.Report
	rep.Findings = nil
	for _, f := range r.New {
		rep.Findings = append(rep.Findings, f.Finding)
	}
	return &rep
}

func position(f analyze.Finding) string {
	if f.Range.Filename == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d:", f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column)
}

func changeLine(c Change) string {
	switch c.Op {
	case Changed:
		base, head := c.Base, c.Head
		if base == "" {
			base = "(unset)"
		}
		if head == "" {
			head = "(unset)"
		}
		return fmt.Sprintf("~ %s %s: %s %s → %s", c.Element, c.Subject, c.Setting, base, head)
	case Added:
		return fmt.Sprintf("+ %s %s", c.Element, c.Subject)
	}
	return fmt.Sprintf("- %s %s", c.Element, c.Subject)
}

func arrow(base, head string) string {
	if base == head {
		return head
	}
	return base + " → " + head
}

func flowRow(f FlowDelta) []string {
	get := func(x *FlowFigures, fn func(*FlowFigures) string) string {
		if x == nil {
			return "—"
		}
		return fn(x)
	}
	name := f.Name
	if f.Worse {
		name += " (worse)"
	} else if f.Better {
		name += " (better)"
	}
	return []string{name,
		arrow(get(f.Base, func(x *FlowFigures) string { return Nines(x.Availability) }), get(f.Head, func(x *FlowFigures) string { return Nines(x.Availability) })),
		arrow(get(f.Base, func(x *FlowFigures) string { return Downtime(x.Availability) }), get(f.Head, func(x *FlowFigures) string { return Downtime(x.Availability) })),
		arrow(get(f.Base, func(x *FlowFigures) string { return Ms(x.LatencyMean) }), get(f.Head, func(x *FlowFigures) string { return Ms(x.LatencyMean) })),
		arrow(get(f.Base, func(x *FlowFigures) string { return Ms(x.LatencyP99) }), get(f.Head, func(x *FlowFigures) string { return Ms(x.LatencyP99) })),
	}
}

func tierRow(t TierDelta) []string {
	get := func(x *TierFigures, fn func(*TierFigures) string) string {
		if x == nil {
			return "—"
		}
		return fn(x)
	}
	util := func(x *TierFigures) string {
		if x.Utilization == 0 {
			return "–"
		}
		return fmt.Sprintf("%.3g", x.Utilization)
	}
	head := func(x *TierFigures) string {
		if math.IsInf(x.Headroom, 1) {
			return "unbounded"
		}
		return num(x.Headroom) + " rps"
	}
	name := t.Addr
	if t.Worse {
		name += " (worse)"
	}
	return []string{name,
		arrow(get(t.Base, func(x *TierFigures) string { return fmt.Sprint(x.Instances) }), get(t.Head, func(x *TierFigures) string { return fmt.Sprint(x.Instances) })),
		arrow(get(t.Base, func(x *TierFigures) string { return num(x.Load) + " rps" }), get(t.Head, func(x *TierFigures) string { return num(x.Load) + " rps" })),
		arrow(get(t.Base, util), get(t.Head, util)),
		arrow(get(t.Base, head), get(t.Head, head)),
	}
}

func survivalRow(s Survival) []string {
	list := func(in bool, flows []string) string {
		switch {
		case !in:
			return "(no such zone or region)"
		case len(flows) == 0:
			return "all flows survive"
		}
		return strings.Join(flows, ", ")
	}
	return []string{s.Scenario, list(s.InBase, s.Base), list(s.InHead, s.Head)}
}

func table(b *strings.Builder, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			if n := len([]rune(c)); n > widths[i] {
				widths[i] = n
			}
		}
	}
	for _, r := range rows {
		b.WriteString(" ")
		for i, c := range r {
			b.WriteString(" ")
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-len([]rune(c))+1))
			}
		}
		b.WriteString("\n")
	}
}

func mdRow(cells []string) string {
	for i, c := range cells {
		cells[i] = mdCell(c)
	}
	return "| " + strings.Join(cells, " | ") + " |\n"
}

// mdCell escapes a table cell: pipes, newlines, and HTML that GitHub would
// render (a design's names and messages are the author's text).
func mdCell(s string) string {
	s = mdEscape(s)
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\r", "")
	return strings.ReplaceAll(s, "\n", "<br>")
}

func mdEscape(s string) string {
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;")
	return r.Replace(s)
}

func mdCode(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

func mdCodeOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return mdCode(s)
}

// num prints a rate with four significant digits, never in exponent form.
func num(v float64) string {
	if math.Abs(v) >= 1e4 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	f, _ := strconv.ParseFloat(fmt.Sprintf("%.4g", v), 64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}
