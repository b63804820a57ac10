package analyze

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// ProblemClass is one line of the summary that opens lint's text report and
// the HTML report: the unsuppressed findings of one class and severity. A
// finding's class is its rule's, or, for a finding with a root cause, the
// class its cause kind names (CauseKind.Class): a zone loss counts as a
// single point of failure whichever rule's finding stands for it.
type ProblemClass struct {
	// Rule is the class's rule; Noun its Analyzer.Problem (the rule's ID as
	// "RULE finding" when the rule names none).
	Rule     string
	Noun     Noun
	Severity Severity
	// Rules are the rules whose findings the class holds (a group's first
	// finding's), in suite order: Rule, or for a cause's class the rules
	// that found it ("zone-failure-capacity, spof").
	Rules []string
	// Count is how many findings (groups count once) the class has.
	Count int
	// Subjects are the findings' distinct subjects (for a finding with a
	// root cause, the component its cause names), in finding order, each
	// with its cause kind in words ("zone loss"; "" when it has none).
	Subjects []ClassSubject
}

// ClassSubject is one subject of a problem class.
type ClassSubject struct {
	Subject string
	Cause   string
}

// ClassSubjectsShown is how many subjects a summary line names before "and
// N more", so that a line stays a line on designs of any size.
const ClassSubjectsShown = 5

// Classes sorts the report's unsuppressed findings into problem classes:
// the most severe first, then the largest, then in suite order.
func (r *Report) Classes() []ProblemClass {
	return Classes(r.Findings, r.Suite)
}

// Classes is Report.Classes for findings fs and the rules of suite.
func Classes(fs []Finding, suite []*Analyzer) []ProblemClass {
	type key struct {
		rule string
		sev  Severity
	}
	at := map[key]int{}
	seen := map[key]map[ClassSubject]bool{}
	var out []ProblemClass
	for i := range fs {
		f := &fs[i]
		if f.Suppressed != nil {
			continue
		}
		rule, cause, subject := f.Rule, "", f.Subject
		if k := causeKind(f.Cause); k != nil {
			// The class names the component the cause is about: the
			// cache whose loss overloads database.users is the single
			// point of failure, not database.users.
			cause = k.Label
			_, subject, _ = strings.Cut(f.Cause, " ")
			if k.Class != "" {
				rule = k.Class
			}
		}
		k := key{rule, f.Severity}
		j, ok := at[k]
		if !ok {
			j = len(out)
			at[k] = j
			seen[k] = map[ClassSubject]bool{}
			out = append(out, ProblemClass{Rule: rule, Noun: problemNoun(rule, suite), Severity: f.Severity})
		}
		out[j].Count++
		if !slices.Contains(out[j].Rules, f.Rule) {
			out[j].Rules = append(out[j].Rules, f.Rule)
		}
		if s := (ClassSubject{subject, cause}); !seen[k][s] {
			seen[k][s] = true
			out[j].Subjects = append(out[j].Subjects, s)
		}
	}
	order := func(rule string) int {
		if i := slices.IndexFunc(suite, func(a *Analyzer) bool { return a.ID == rule }); i >= 0 {
			return i
		}
		return len(suite)
	}
	for i := range out {
		slices.SortStableFunc(out[i].Rules, func(a, b string) int { return cmp.Compare(order(a), order(b)) })
	}
	slices.SortStableFunc(out, func(a, b ProblemClass) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(b.Count, a.Count),
			cmp.Compare(order(a.Rule), order(b.Rule)), strings.Compare(a.Rule, b.Rule))
	})
	return out
}

func problemNoun(rule string, suite []*Analyzer) Noun {
	for _, a := range suite {
		if a.ID == rule && a.Problem.One != "" {
			return a.Problem
		}
	}
	return Noun{One: rule + " finding", Many: rule + " findings"}
}

// Text is the class in words: "3 single points of failure: service.api
// (zone loss), cache.sessions (cache down), database.orders", naming at most
// ClassSubjectsShown subjects ("and 4 more").
func (c *ProblemClass) Text() string {
	var b strings.Builder
	b.WriteString(c.Noun.Count(c.Count))
	b.WriteString(": ")
	for i, s := range c.Subjects {
		if i == ClassSubjectsShown {
			b.WriteString(", and " + strconv.Itoa(len(c.Subjects)-i) + " more")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Subject)
		if s.Cause != "" {
			b.WriteString(" (" + s.Cause + ")")
		}
	}
	return b.String()
}
