package quorum_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/quorum"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), quorum.Analyzer)
}

const design = `
system "q" {}

client "app" {
  rps = 10
  call {
    to = database.kv
    op = "read"
  }
}

database "kv" {
  engine = "cassandra"
  replication {
    mode = "quorum"
  }
  quorum {
    n = %d
    r = %d
    w = %d
  }
}

flow "read" {
  entry       = client.app
  op          = "read"
  consistency = "linearizable"
}
`

// TestStaleReadProbabilityInData: the finding's data carries C(n−w, r)/C(n, r)
// as an exact fraction and as a number (values worked by hand).
func TestStaleReadProbabilityInData(t *testing.T) {
	tests := []struct {
		n, r, w int
		frac    string
		float   float64
	}{
		{3, 1, 1, "2/3", 2.0 / 3},
		{3, 1, 2, "1/3", 1.0 / 3},
		{5, 1, 1, "4/5", 0.8},
		{5, 2, 2, "3/10", 0.3},
		{5, 2, 3, "1/10", 0.1}, // C(2, 2)/C(5, 2)
		{5, 3, 3, "0", 0},      // r + w > n: no stale-read finding
		{7, 3, 3, "4/35", 4.0 / 35},
	}
	for _, tt := range tests {
		src := fmt.Sprintf(design, tt.n, tt.r, tt.w)
		d, diags := lang.LoadFiles(map[string][]byte{"q.arch.hcl": []byte(src)}, lang.Options{})
		if diags.HasErrors() {
			t.Fatalf("design does not load: %v", diags)
		}
		rep, err := analyze.Run(d, []*analyze.Analyzer{quorum.Analyzer}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var stale []analyze.Finding
		for _, f := range rep.Findings {
			if _, ok := f.Data["stale_read_probability"]; ok {
				stale = append(stale, f)
			}
		}
		if tt.frac == "0" {
			if len(stale) != 0 {
				t.Errorf("n=%d r=%d w=%d: unexpected stale-read finding %q", tt.n, tt.r, tt.w, stale[0].Message)
			}
			continue
		}
		if len(stale) != 1 {
			t.Errorf("n=%d r=%d w=%d: %d stale-read findings, want 1", tt.n, tt.r, tt.w, len(stale))
			continue
		}
		f := stale[0]
		if got := f.Data["stale_read_probability"]; got != tt.frac {
			t.Errorf("n=%d r=%d w=%d: stale_read_probability = %v, want %s", tt.n, tt.r, tt.w, got, tt.frac)
		}
		if got := f.Data["stale_read_probability_float"].(float64); math.Abs(got-tt.float) > 1e-12 {
			t.Errorf("n=%d r=%d w=%d: stale_read_probability_float = %v, want %v", tt.n, tt.r, tt.w, got, tt.float)
		}
		if f.Range.Start.Line != 19 { // r = ...
			t.Errorf("n=%d r=%d w=%d: finding on line %d, want 19 (quorum.r)", tt.n, tt.r, tt.w, f.Range.Start.Line)
		}
	}
}
