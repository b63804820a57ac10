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
