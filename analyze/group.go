package analyze

import (
	"slices"
	"strings"
)

// Root-cause grouping: findings of several rules that one event causes are
// reported as one finding, the others attached to it (Finding.Grouped). This
// file is the one place the grouping is defined: the cause kinds a rule may
// set on its findings (Finding.Cause, built with Cause), which rules' findings
// of each kind merge and which one is shown first, and which rules fold into
// a finding about the same component. docs/lint.md's table of causes is
// generated from it.

// CauseKind is one kind of root cause.
type CauseKind struct {
	// Name is the kind's name, the first word of a Finding.Cause.
	Name string
	// Doc says, in a line, what findings of this kind have in common.
	Doc string
	// Rules are the rules whose findings may carry this cause, in the order
	// that picks the finding shown first among those of equal severity.
	Rules []string
	// Class is the rule whose problem class a finding of this cause counts
	// in, in the summary that opens lint's text report (see Classes): a
	// zone loss is a single point of failure whichever rule found it.
	Class string
	// Label is the cause in the words a summary line adds after the
	// finding's subject ("zone loss"); "" adds none, for a cause that
	// every finding of its class has, which the class's noun already says.
	Label string
}

// CauseKinds are the kinds of root cause, each with the rules that set it.
var CauseKinds = []CauseKind{
	{
		Name:  "zone-loss",
		Doc:   "a tier does not survive the loss of one of its zones or regions: one finding per tier, listing the zones",
		Rules: []string{"zone-failure-capacity", "spof"},
		Class: "spof",
		Label: "zone loss",
	},
	{
		Name:  "lone-instance",
		Doc:   "a tier's flows hang on one instance (its only one, or a primary without automatic failover): losing it and losing the zone or region it runs in are one failure, one finding per tier",
		Rules: []string{"spof"},
		Class: "spof",
		Label: "lone instance",
	},
	{
		Name:  "admin-reached",
		Doc:   "the internet reaches an endpoint for operators (admin, telemetry, discovery, config) through a tier that calls it across a trust-zone boundary with no auth: removing that call is the fix of both",
		Rules: []string{"public-admin", "zone-auth"},
		Class: "public-admin",
	},
	{
		Name:  "queue-slower",
		Doc:   "a queue's consumers drain less than its producers write: the backlog grows without end (and, on a queue with no max_depth, nothing pushes back on the producers)",
		Rules: []string{"queue-capacity", "backpressure"},
		Class: "queue-capacity",
		Label: "queue slower",
	},
	{
		Name:  "cache-down",
		Doc:   "a cache's failure overloads the tier behind it, which takes the flows that read through it down",
		Rules: []string{"spof", "cache-failure-capacity"},
		Class: "spof",
		Label: "cache down",
	},
}

// FoldedRules are the rules whose findings add to another finding about the
// same component (its Subject, or a grouped finding's) instead of standing
// alone: a tier without capacity_rps is worth its own finding only when
// nothing else is said about it. A folded finding stands alone when no other
// finding names its subject, or when it is more severe than they are.
var FoldedRules = []string{"no-capacity"}

// Cause is the Finding.Cause of kind about component addr ("zone-loss
// service.api"). kind must be the Name of one of CauseKinds.
func Cause(kind, addr string) string { return kind + " " + addr }

// causeKind returns the kind of a Finding.Cause, nil when there is none.
func causeKind(cause string) *CauseKind {
	name, _, _ := strings.Cut(cause, " ")
	for i := range CauseKinds {
		if CauseKinds[i].Name == name {
			return &CauseKinds[i]
		}
	}
	return nil
}

// Members returns the findings a finding stands for: itself (without its
// Grouped list) first, then the findings grouped into it.
func (f *Finding) Members() []Finding {
	head := *f
	head.Grouped = nil
	return append([]Finding{head}, f.Grouped...)
}

// Ungroup returns every member of every finding, each on its own (the
// findings the rules reported, after suppressions), in order.
func Ungroup(fs []Finding) []Finding {
	n := 0
	for i := range fs {
		n += 1 + len(fs[i].Grouped)
	}
	if n == len(fs) {
		return fs
	}
	out := make([]Finding, 0, n)
	for i := range fs {
		out = append(out, fs[i].Members()...)
	}
	return out
}

// Group merges findings that share a cause (the same Finding.Cause) into
// one, and folds the findings of FoldedRules into a finding about the same
// component, as the table above says. Suppressed findings are left alone: a
// suppression silences one rule's finding, and the others of its cause still
// group. Findings already grouped are taken apart first, so Group can run
// again after a baseline took some members away. The result is sorted. Group
// reuses fs: the caller keeps only the result.
func Group(fs []Finding) []Finding {
	fs = Ungroup(fs)
	sortFindings(fs)
	// The result is built in fs itself: out[len(out)] is written only once
	// fs[len(out)] and those before it have been read, and the findings
	// folded away (copied out) leave room for the folded ones that stand
	// alone.
	out := fs[:0]
	byCause := map[string]int{} // cause → index in out
	var folded []Finding
	for _, f := range fs {
		switch {
		case f.Suppressed != nil:
			out = append(out, f)
		case slices.Contains(FoldedRules, f.Rule):
			folded = append(folded, f)
		case f.Cause != "" && causeKind(f.Cause) != nil:
			if i, ok := byCause[f.Cause]; ok {
				out[i] = merge(out[i], f)
				continue
			}
			byCause[f.Cause] = len(out)
			out = append(out, f)
		default:
			out = append(out, f)
		}
	}
	if len(folded) > 0 {
		// The first (most severe, then in order) finding naming the
		// component takes the folded finding.
		host := map[string]int{}
		for i := range out {
			if out[i].Suppressed != nil {
				continue
			}
			for _, m := range out[i].Members() {
				if j, ok := host[m.Subject]; !ok || out[i].Severity > out[j].Severity {
					host[m.Subject] = i
				}
			}
		}
		for _, f := range folded {
			if i, ok := host[f.Subject]; ok && f.Severity <= out[i].Severity {
				out[i].Grouped = append(out[i].Grouped, f)
				continue
			}
			out = append(out, f)
		}
	}
	clear(fs[len(out):]) // copies of findings now in out
	sortFindings(out)
	return out
}

// merge adds f to group g: the more severe finding, or of equal severity the
// one whose rule comes first in its cause kind's Rules, is shown first.
func merge(g, f Finding) Finding {
	if outranks(&f, &g) {
		f.Grouped = append(g.Members(), f.Grouped...)
		slices.SortStableFunc(f.Grouped, compareFindings)
		return f
	}
	g.Grouped = append(g.Grouped, f)
	return g
}

func outranks(a, b *Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	return ruleRank(a) < ruleRank(b)
}

// ruleRank is the place of f's rule in its cause kind's Rules (after them
// when it is not listed).
func ruleRank(f *Finding) int {
	k := causeKind(f.Cause)
	if k == nil {
		return 0
	}
	if i := slices.Index(k.Rules, f.Rule); i >= 0 {
		return i
	}
	return len(k.Rules)
}
