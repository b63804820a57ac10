package rules_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/rules/connectionpool"
	"github.com/archform/archform/rules/hotshard"
	"github.com/archform/archform/rules/queuecapacity"
	"github.com/archform/archform/rules/ratelimit"
	"github.com/archform/archform/rules/retryamplification"
	"github.com/archform/archform/rules/timeoutbudget"
)

var queueingSuite = []*analyze.Analyzer{hotshard.Analyzer, queuecapacity.Analyzer, connectionpool.Analyzer,
	timeoutbudget.Analyzer, retryamplification.Analyzer, ratelimit.Analyzer}

// The shard, queue, connection, timeout, retry and rate-limit rules run
// without an internal error on every example design and on generated ones,
// give the same findings in the same order every time, and every finding
// points into the design.
func TestQueueingRulesDeterministic(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no example designs: %v", err)
	}
	designs := map[string]*lang.Design{}
	for _, dir := range dirs {
		d, diags := lang.Load(dir, lang.Options{})
		if diags.HasErrors() {
			t.Errorf("%s does not load: %v", dir, diags)
			continue
		}
		designs[dir] = d
	}
	for _, seed := range []int64{1, 7, 42} {
		gen, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(400, seed)}, lang.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		designs[fmt.Sprintf("generated %d", seed)] = gen
	}
	total := 0
	for name, d := range designs {
		first, err := analyze.Run(d, queueingSuite, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		again, err := analyze.Run(d, queueingSuite, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(first.Findings, again.Findings) {
			t.Errorf("%s: two runs differ", name)
		}
		for _, f := range first.Findings {
			if f.Range.Filename == "" || f.Subject == "" || f.Message == "" {
				t.Errorf("%s: finding without range, subject or message: %+v", name, f)
			}
		}
		total += len(first.Findings)
	}
	if total == 0 {
		t.Error("no finding on any design: the rules are not running")
	}
}

// The six rules on a generated design of 10,000 components, after the
// shared analysis (which the capacity rules' benchmarks measure).
func BenchmarkQueueingRules10k(b *testing.B) {
	d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(10000, 1)}, lang.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	r := analyze.Compute(d)
	for _, a := range queueingSuite {
		b.Run(a.ID, func(b *testing.B) {
			for b.Loop() {
				pass := analyze.NewPass(a, d, func() *analyze.Results { return r }, nil, func(analyze.Finding) {})
				if err := a.Run(pass); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
