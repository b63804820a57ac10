package timeoutbudget_test

import (
	"testing"
	"time"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/timeoutbudget"
)

// The findings on each testdata design are exactly its want comments.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), timeoutbudget.Analyzer)
}

// ORACLES: 4 tries × 500 ms = 2000 ms > 1000 ms, in the finding's data, with
// the caller's timeout as the related location.
func TestOracleData(t *testing.T) {
	rep := analysistest.RunDesign(t, "testdata/oracle.arch.hcl", timeoutbudget.Analyzer)
	if rep == nil || len(rep.Findings) != 1 {
		t.Fatalf("want one finding, got %v", rep)
	}
	f := rep.Findings[0]
	if f.Data["worst_ms"] != 2000.0 || f.Data["caller_timeout_ms"] != 1000.0 || f.Data["tries"] != 4 {
		t.Errorf("data = %v", f.Data)
	}
	if len(f.Related) != 1 || f.Related[0].Range.Start.Line != 15 {
		t.Errorf("related = %+v, want the caller's timeout on line 15", f.Related)
	}
}

// ORACLES: per-try 500 ms, retries 3 → 4 × 500 ms = 2000 ms.
func TestBudget(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		timeout time.Duration
		retries int
		backoff time.Duration
		want    time.Duration
	}{
		{500 * ms, 3, 0, 2000 * ms},
		{200 * ms, 2, 100 * ms, 800 * ms},
		{1000 * ms, 0, 100 * ms, 1000 * ms}, // no retry, no backoff
		{100 * ms, -1, 0, 100 * ms},         // negative retries count as none
	} {
		if got := timeoutbudget.Budget(c.timeout, c.retries, c.backoff); got != c.want {
			t.Errorf("Budget(%v, %d, %v) = %v, want %v", c.timeout, c.retries, c.backoff, got, c.want)
		}
	}
}
