// Package analyze is archform's analysis engine: the Analyzer/Pass/Finding API
// (modelled on golang.org/x/tools/go/analysis), the shared computations that
// rules read (traffic propagation, failure scenarios, queueing, availability,
// latency), the engine that runs a suite with a configuration, and
// suppression comments. The lint driver (output formats, configuration
// files, baselines) is in lintcmd.
package analyze

import (
	"fmt"
	"strings"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// Severity of a finding.
type Severity int

// Severities, weakest first.
const (
	SeverityNone Severity = iota // used only as a --fail-on threshold: nothing fails
	Info
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "none"
}

// ParseSeverity reads "error", "warning", "info" or "none".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	case "none":
		return SeverityNone, nil
	}
	return 0, fmt.Errorf("unknown severity %q: want error, warning, info or none", s)
}

// Param is a rule parameter that configuration may set (for example the
// capacity rule's max_utilization).
type Param struct {
	Name    string
	Doc     string
	Default float64
	// Min and Max bound what a configuration may set, inclusive; both zero:
	// any finite number.
	Min, Max float64
}

// Analyzer is one rule: a value with a stable kebab-case ID.
type Analyzer struct {
	// ID is the stable kebab-case rule ID ("spof", "capacity").
	ID string
	// Summary is one line.
	Summary string
	// Problem names what one finding of the rule is, as a countable noun
	// phrase in the singular and the plural, for the line per problem class
	// that opens lint's text report ("2 single points of failure: ...").
	Problem Noun
	// Doc is Markdown: what it checks, why, how to fix, an example. It is
	// embedded from a file next to the rule and printed by `archform explain`.
	Doc string
	// Severity is the default severity of its findings.
	Severity Severity
	// Params are the parameters configuration may set.
	Params []Param
	// Run reports findings through the pass. An error is an internal error
	// (exit 4), never a finding.
	Run func(*Pass) error
}

// Noun is a countable noun phrase: One for one, Many for any other count.
type Noun struct{ One, Many string }

// Count is "1 single point of failure", "3 single points of failure".
func (n Noun) Count(k int) string { return lang.Count(k, n.One, n.Many) }

// Pass is what an analyzer's Run receives.
type Pass struct {
	Analyzer *Analyzer
	Design   *lang.Design

	results func() *Results
	params  map[string]float64
	report  func(Finding)
}

// NewPass builds a pass. The engine does this; tests of a single rule may too.
// results is called lazily and must memoize (Run does).
func NewPass(a *Analyzer, d *lang.Design, results func() *Results, params map[string]float64, report func(Finding)) *Pass {
	return &Pass{Analyzer: a, Design: d, results: results, params: params, report: report}
}

// Results returns the shared analysis (traffic, scenarios, queueing,
// availability, latency), computed once per run whichever rule asks first.
func (p *Pass) Results() *Results { return p.results() }

// Param returns a rule parameter: configuration's value, else its default.
func (p *Pass) Param(name string) float64 {
	if v, ok := p.params[name]; ok {
		return v
	}
	for _, prm := range p.Analyzer.Params {
		if prm.Name == name {
			return prm.Default
		}
	}
	panic(fmt.Sprintf("analyze: rule %s has no parameter %q", p.Analyzer.ID, name))
}

// Report records a finding. Rule and Severity default to the analyzer's.
func (p *Pass) Report(f Finding) {
	if f.Rule == "" {
		f.Rule = p.Analyzer.ID
	}
	if f.Severity == SeverityNone {
		f.Severity = p.Analyzer.Severity
	}
	p.report(f)
}

// Finding is one result of a rule. It carries structured fields only;
// formatting happens in the output writers.
type Finding struct {
	Rule     string
	Severity Severity
	// Message is one line and shows the formula with the numbers put in, e.g.
	// "utilization = 10000 rps / (12 × 1000 rps) = 0.833 > 0.8".
	Message string
	// Detail explains: what is needed, what the design gives, and the smallest
	// change that fixes it. May span lines.
	Detail string
	// Subject is the address of the component (or "flow.NAME") the finding is about.
	Subject string
	// Range is where the finding points: the attribute or block to change.
	Range   hcl.Range
	Related []Related
	// Data holds the figures behind the finding (JSON-encodable values).
	Data map[string]any
	// Key names the problem within Rule and Subject in words that survive
	// line moves and changed figures (e.g. "zone a"); baselines and SARIF
	// fingerprints use it. Empty: derived from Message with its numbers
	// blanked out.
	Key string
	// Cause names the root cause the finding shares with findings of other
	// rules, built with Cause ("zone-loss service.api"); findings with the
	// same cause are reported as one (see group.go). Empty: none.
	Cause string
	// Grouped are the findings the engine merged into this one: the same
	// cause, or a folded rule's finding about the same component (see
	// Group). Each keeps its own rule, subject, key and range, so that
	// suppressions and baselines still name them one by one.
	Grouped []Finding

	// Suppressed is set by the engine when a suppression comment silences
	// the finding.
	Suppressed *Suppression
}

// Related is a secondary location of a finding.
type Related struct {
	Message string
	Range   hcl.Range
}

// Suppression is an `# archform:ignore RULE -- reason` comment.
type Suppression struct {
	Rules  []string
	Reason string
	File   bool      // archform:ignore-file
	Range  hcl.Range // the comment
	// Target is the range the suppression covers (the block or attribute
	// below it, or the whole file).
	Target hcl.Range
	Used   bool
}
