package consistency_test

import (
	"os"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/consistency"
	"github.com/google/go-cmp/cmp"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), consistency.Analyzer)
}

func readShop(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestShopCopy keeps the testdata copy of the shop equal to the canonical
// example, want comments aside.
func TestShopCopy(t *testing.T) {
	b, err := os.ReadFile("testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if i := strings.Index(l, "  # want "); i >= 0 {
			l = l[:i]
		}
		lines = append(lines, l)
	}
	if diff := cmp.Diff(readShop(t), strings.Join(lines, "\n")); diff != "" {
		t.Errorf("testdata/shop differs from testdata/shop/shop.arch.hcl (-canonical +copy):\n%s", diff)
	}
}

func lint(t *testing.T, src string) []analyze.Finding {
	t.Helper()
	d, diags := lang.LoadFiles(map[string][]byte{"shop.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("design does not load: %v", diags)
	}
	rep, err := analyze.Run(d, []*analyze.Analyzer{consistency.Analyzer}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []analyze.Finding
	for _, f := range rep.Findings {
		if f.Rule == consistency.Analyzer.ID {
			out = append(out, f)
		}
	}
	return out
}

// TestShopFindings checks what each of the shop's two findings carries
// beyond its message: subject, related location, data and fixes.
func TestShopFindings(t *testing.T) {
	type summary struct {
		Subject, Line, Related string
		RelatedLine            int
		Needed, Provided, Via  string
		Fix                    string
	}
	var got []summary
	for _, f := range lint(t, readShop(t)) {
		s := summary{Subject: f.Subject, Needed: f.Data["needed"].(string), Provided: f.Data["provided"].(string),
			Via: f.Data["mechanism"].(string), Fix: f.Data["fixes"].([]string)[0]}
		if len(f.Related) >= 1 {
			s.Related, s.RelatedLine = f.Related[0].Message, f.Related[0].Range.Start.Line
		}
		if !strings.Contains(f.Detail, "Smallest fix: "+s.Fix) {
			t.Errorf("%s: detail does not name the fix %q:\n%s", f.Subject, s.Fix, f.Detail)
		}
		got = append(got, s)
	}
	want := []summary{
		{Subject: "cache.sessions", Related: `flow "browse" needs read_your_writes here`, RelatedLine: 82,
			Needed: "read_your_writes", Provided: "bounded_staleness", Via: "cache_ttl", Fix: `invalidation = "versioned"`},
		{Subject: "database.orders", Related: `flow "browse" needs read_your_writes here`, RelatedLine: 82,
			Needed: "read_your_writes", Provided: "eventual", Via: "async_replica", Fix: `replication { mode = "sync", ack = "apply" }`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shop findings (-want +got):\n%s", diff)
	}
}

// TestSyncReplicationMeetsReadYourWrites is the oracle's other half: with
// replication.mode = "sync" acknowledged on apply (synchronous_commit =
// remote_apply) the replicas give read_your_writes and only the cache is
// left; acknowledged on flush (the default, synchronous_commit = on) they do
// not (issue 23 case 2).
func TestSyncReplicationMeetsReadYourWrites(t *testing.T) {
	flush := strings.Replace(readShop(t), `mode      = "async"`, `mode      = "sync"`, 1)
	var flushed []string
	for _, f := range lint(t, flush) {
		flushed = append(flushed, f.Subject)
	}
	if diff := cmp.Diff([]string{"cache.sessions", "database.orders"}, flushed); diff != "" {
		t.Errorf("findings with sync replication acknowledged on flush (-want +got):\n%s", diff)
	}
	src := strings.Replace(readShop(t), `mode      = "async"`, `mode      = "sync"
    ack       = "apply"`, 1)
	var subjects []string
	for _, f := range lint(t, src) {
		subjects = append(subjects, f.Subject)
	}
	if diff := cmp.Diff([]string{"cache.sessions"}, subjects); diff != "" {
		t.Errorf("findings with sync replication (-want +got):\n%s", diff)
	}
	// And with versioned invalidation on the cache as well, nothing.
	src = strings.Replace(src, `strategy  = "cache_aside"`, `strategy  = "cache_aside"
  invalidation = "versioned"`, 1)
	if fs := lint(t, src); len(fs) != 0 {
		t.Errorf("findings with sync replication and versioned invalidation: %v", fs)
	}
}
