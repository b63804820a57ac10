package analyze

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// Report is the outcome of one lint run: every finding (suppressed ones
// included, marked), the rules that ran and what the baseline hid.
type Report struct {
	Design *lang.Design
	// Suite is every rule known to the run, the suppression rule first, in
	// suite order: the rules SARIF lists.
	Suite []*Analyzer
	// Config is the configuration applied (never nil).
	Config *Config
	// Findings are sorted by file, line, column, rule, subject and message.
	// Suppressed findings are included, with Suppressed set. Findings that
	// share a root cause are one finding, the others in its Grouped list
	// (see Group); Ungroup lists every finding on its own.
	Findings []Finding
	// Suppressions are the suppression comments found, in source order.
	Suppressions []*Suppression
	// Errors are the internal errors of the run (rules that panicked or
	// failed); Run also returns them joined.
	Errors []error
	// Diagnostics are the design's diagnostics (warnings of a valid design,
	// or the errors of an invalid one, where Design is nil).
	Diagnostics hcl.Diagnostics

	results func() (*Results, error)
}

// InvalidReport is the report of a design that could not be decoded: no
// findings, only its diagnostics. The output writers print them (SARIF as
// tool notifications with executionSuccessful false).
func InvalidReport(suite []*Analyzer, files map[string]*hcl.File, diags hcl.Diagnostics) *Report {
	return &Report{
		Design:      &lang.Design{Files: files},
		Suite:       withSuppression(suite),
		Config:      DefaultConfig(),
		Diagnostics: diags,
	}
}

// Invalid reports whether the design had errors (and so was not analyzed).
func (r *Report) Invalid() bool { return r.Diagnostics.HasErrors() }

// Results returns the shared analysis of the design, computing it if no rule
// asked for it. An error means the computation panicked (an internal error).
func (r *Report) Results() (*Results, error) {
	if r.results == nil {
		if r.Design == nil || r.Invalid() {
			return nil, errors.New("analyze: no results for an invalid design")
		}
		r.results = memoResults(r.Design)
	}
	return r.results()
}

// Counts returns how many unsuppressed findings there are of each severity,
// and how many are suppressed.
func (r *Report) Counts() (errs, warnings, infos, suppressed int) {
	for _, f := range r.Findings {
		switch {
		case f.Suppressed != nil:
			suppressed++
		case f.Severity == Error:
			errs++
		case f.Severity == Warning:
			warnings++
		case f.Severity == Info:
			infos++
		}
	}
	return
}

// Fails reports whether an unsuppressed finding is at or above threshold
// (never for SeverityNone).
func (r *Report) Fails(threshold Severity) bool {
	if threshold == SeverityNone {
		return false
	}
	for _, f := range r.Findings {
		if f.Suppressed == nil && f.Severity >= threshold {
			return true
		}
	}
	return false
}

// InternalError is a rule that panicked or returned an error: a bug in
// archform (exit 4), never a finding.
type InternalError struct {
	Rule  string
	Err   error
	Stack []byte // set when the rule panicked
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error in rule %s: %v", e.Rule, e.Err)
}

func (e *InternalError) Unwrap() error { return e.Err }

// computeResults is the shared analysis the engine hands to passes (a
// variable so that tests can count and break it).
var computeResults = Compute

// ComputeSafe is Compute with a panic in the computation turned into an
// error (an internal error upstream): what the engine runs, and what a caller
// that needs the figures before linting (emit, build) runs too.
func ComputeSafe(d *lang.Design) (res *Results, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("computing the analysis: %v\n%s", v, debug.Stack())
		}
	}()
	return computeResults(d), nil
}

// memoResults computes the design's results at most once, turning a panic in
// the computation into an error.
func memoResults(d *lang.Design) func() (*Results, error) {
	return sync.OnceValues(func() (*Results, error) { return ComputeSafe(d) })
}

// resultsPanic carries a failed computation through a rule's Results call,
// so that the rule's recover names it as the cause.
type resultsPanic struct{ err error }

// Run lints a design: it runs each enabled analyzer of the suite (with the
// configuration's severities and parameters), applies the suppression
// comments in the design's files and sorts the findings. Rules that panic or
// fail are reported as *InternalError values joined in err; the report then
// still holds the other rules' findings. Apply a baseline with
// baseline.Apply (package lintcmd/baseline).
func Run(d *lang.Design, suite []*Analyzer, cfg *Config) (*Report, error) {
	return run(d, suite, cfg, memoResults(d))
}

// RunWithResults is Run on a design whose analysis the caller has already
// computed (with ComputeSafe), so that it is not computed twice.
func RunWithResults(d *lang.Design, suite []*Analyzer, cfg *Config, res *Results) (*Report, error) {
	return run(d, suite, cfg, func() (*Results, error) { return res, nil })
}

func run(d *lang.Design, suite []*Analyzer, cfg *Config, memo func() (*Results, error)) (*Report, error) {
	if d == nil {
		return nil, errors.New("analyze: Run needs a design")
	}
	if cfg == nil {
		cfg = DefaultConfig()
	}
	rep := &Report{Design: d, Suite: withSuppression(suite), Config: cfg, results: memo}
	results := func() *Results {
		res, err := rep.results()
		if err != nil {
			panic(resultsPanic{err})
		}
		return res
	}
	var errs []error
	var found findingBuf
	for _, a := range suite {
		if a == SuppressionAnalyzer || !cfg.Enabled(a.ID) {
			continue
		}
		if err := runOne(a, d, results, cfg, &found); err != nil {
			errs = append(errs, err)
		}
	}
	rep.Findings = found.all()
	rep.Errors = errs
	failed := map[string]bool{}
	for _, err := range errs {
		if ie, ok := err.(*InternalError); ok {
			failed[ie.Rule] = true
		}
	}
	rep.Suppressions = applySuppressions(d, rep, cfg, failed)
	rep.Findings = Group(rep.Findings)
	return rep, errors.Join(errs...)
}

// runOne runs one rule, adding its findings to out; a rule that fails or
// panics adds none (what it reported is taken back).
func runOne(a *Analyzer, d *lang.Design, results func() *Results, cfg *Config, out *findingBuf) (err error) {
	var override *Severity
	if rc := cfg.Rule(a.ID); rc != nil {
		override = rc.Severity
	}
	before := out.n
	pass := NewPass(a, d, results, cfg.Params(a.ID), func(f Finding) {
		if override != nil && f.Rule == a.ID {
			f.Severity = *override
		}
		out.add(f)
	})
	defer func() {
		if v := recover(); v != nil {
			if rp, ok := v.(resultsPanic); ok {
				err = &InternalError{Rule: a.ID, Err: rp.err}
			} else {
				err = &InternalError{Rule: a.ID, Err: fmt.Errorf("panic: %v", v), Stack: debug.Stack()}
			}
		}
		if err != nil {
			out.truncate(before)
		}
	}()
	if a.Run == nil {
		return &InternalError{Rule: a.ID, Err: errors.New("rule has no Run function")}
	}
	if err := a.Run(pass); err != nil {
		return &InternalError{Rule: a.ID, Err: err}
	}
	return nil
}

// findingBuf collects the findings of a run in chunks, then in one slice of
// their number: one slice grown as the rules report (some 31,000 findings
// of about 230 bytes on 10,000 components) would copy them at each growth
// and allocate about twice their size.
type findingBuf struct {
	chunks [][]Finding
	n      int
}

func (b *findingBuf) add(f Finding) {
	if k := len(b.chunks); k == 0 || len(b.chunks[k-1]) == cap(b.chunks[k-1]) {
		// Chunks grow with the findings, from 64 to 1,024.
		b.chunks = append(b.chunks, make([]Finding, 0, min(max(b.n/4, 64), 1024)))
	}
	last := &b.chunks[len(b.chunks)-1]
	*last = append(*last, f)
	b.n++
}

// truncate takes back every finding after the first n.
func (b *findingBuf) truncate(n int) {
	for b.n > n {
		last := &b.chunks[len(b.chunks)-1]
		drop := min(len(*last), b.n-n)
		clear((*last)[len(*last)-drop:])
		*last = (*last)[:len(*last)-drop]
		b.n -= drop
		if len(*last) == 0 {
			b.chunks = b.chunks[:len(b.chunks)-1]
		}
	}
}

// all returns the findings in the order they were added (nil for none).
func (b *findingBuf) all() []Finding {
	if b.n == 0 {
		return nil
	}
	out := make([]Finding, 0, b.n)
	for _, c := range b.chunks {
		out = append(out, c...)
	}
	return out
}

// withSuppression returns the suite with the suppression rule first (once).
func withSuppression(suite []*Analyzer) []*Analyzer {
	out := []*Analyzer{SuppressionAnalyzer}
	for _, a := range suite {
		if a != SuppressionAnalyzer {
			out = append(out, a)
		}
	}
	return out
}

// sortFindings orders findings by file, line, column, rule, subject, message
// (then the rest of the range, severity and detail, so ties are stable too).
func sortFindings(fs []Finding) {
	// Sorting keys, then moving each finding once, is much cheaper than
	// moving the findings (about 200 bytes each) in a stable merge sort.
	// A key holds the start's line and column, which decide most
	// comparisons without reading the findings; the index breaks ties, so
	// the order is the stable one.
	type key struct {
		pos int64 // line << 32 | column
		i   int32
	}
	keys := make([]key, len(fs))
	for i := range fs {
		st := &fs[i].Range.Start
		keys[i] = key{int64(min(max(st.Line, 0), math.MaxInt32))<<32 | int64(min(max(st.Column, 0), math.MaxInt32)), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		fa, fb := &fs[a.i], &fs[b.i]
		if fa.Range.Filename == fb.Range.Filename && a.pos != b.pos {
			return cmp.Compare(a.pos, b.pos)
		}
		return cmp.Or(compareFindingsAt(fa, fb), cmp.Compare(a.i, b.i))
	})
	idx := make([]int32, len(fs))
	for i, k := range keys {
		idx[i] = k.i
	}
	// Apply the permutation in place, one cycle at a time: position i gets
	// the finding at idx[i].
	for i := range idx {
		if idx[i] < 0 || int(idx[i]) == i {
			continue
		}
		tmp := fs[i]
		j := i
		for {
			k := int(idx[j])
			idx[j] = -1
			if k == i {
				fs[j] = tmp
				break
			}
			fs[j] = fs[k]
			j = k
		}
	}
}

func compareFindings(a, b Finding) int { return compareFindingsAt(&a, &b) }

// compareFindingsAt compares field by field, stopping at the first that
// differs (the messages and details are long).
func compareFindingsAt(a, b *Finding) int {
	if c := strings.Compare(a.Range.Filename, b.Range.Filename); c != 0 {
		return c
	}
	if c := cmp.Or(cmp.Compare(a.Range.Start.Line, b.Range.Start.Line), cmp.Compare(a.Range.Start.Column, b.Range.Start.Column)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := strings.Compare(a.Subject, b.Subject); c != 0 {
		return c
	}
	if c := strings.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	return cmp.Or(
		cmp.Compare(a.Range.End.Line, b.Range.End.Line),
		cmp.Compare(a.Range.End.Column, b.Range.End.Column),
		cmp.Compare(b.Severity, a.Severity),
		strings.Compare(a.Detail, b.Detail),
	)
}
