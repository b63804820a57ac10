package analyze

import (
	"strings"
	"testing"
)

func TestClasses(t *testing.T) {
	suite := []*Analyzer{
		{ID: "spof", Problem: Noun{"single point of failure", "single points of failure"}},
		{ID: "zone-failure-capacity", Problem: Noun{"tier short after a zone loss", "tiers short after a zone loss"}},
		{ID: "capacity", Problem: Noun{"tier over its utilization limit", "tiers over their utilization limit"}},
	}
	fs := []Finding{
		{Rule: "capacity", Severity: Warning, Subject: "service.api"},
		// A zone loss counts as a single point of failure whichever rule's
		// finding stands for it.
		{Rule: "zone-failure-capacity", Severity: Error, Subject: "service.api", Cause: Cause("zone-loss", "service.api"),
			Grouped: []Finding{{Rule: "spof", Severity: Error, Subject: "service.api", Cause: Cause("zone-loss", "service.api")}}},
		{Rule: "spof", Severity: Error, Subject: "database.orders"},
		{Rule: "spof", Severity: Error, Subject: "cache.sessions", Cause: Cause("cache-down", "cache.sessions")},
		// The cache is the single point of failure, not the database
		// its loss overloads (the finding's subject).
		{Rule: "cache-failure-capacity", Severity: Error, Subject: "database.users", Cause: Cause("cache-down", "cache.pool")},
		{Rule: "spof", Severity: Error, Subject: "queue.q", Suppressed: &Suppression{Reason: "accepted"}},
		{Rule: "unnamed", Severity: Info, Subject: "x"},
	}
	var got []string
	for _, c := range Classes(fs, suite) {
		got = append(got, c.Severity.String()+" "+c.Text()+" ("+strings.Join(c.Rules, ", ")+")")
	}
	want := []string{
		"error 4 single points of failure: service.api (zone loss), database.orders, cache.sessions (cache down), cache.pool (cache down) (spof, zone-failure-capacity, cache-failure-capacity)",
		"warning 1 tier over its utilization limit: service.api (capacity)",
		"info 1 unnamed finding: x (unnamed)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("classes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A class names at most ClassSubjectsShown subjects, then how many more.
func TestClassesBounded(t *testing.T) {
	var fs []Finding
	for _, s := range []string{"a", "b", "c", "d", "e", "f", "g", "a"} {
		fs = append(fs, Finding{Rule: "spof", Severity: Error, Subject: "service." + s})
	}
	cs := Classes(fs, []*Analyzer{{ID: "spof", Problem: Noun{"single point of failure", "single points of failure"}}})
	if len(cs) != 1 {
		t.Fatalf("%d classes, want 1", len(cs))
	}
	if got, want := cs[0].Text(), "8 single points of failure: service.a, service.b, service.c, service.d, service.e, and 2 more"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}
