package simulate

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

var long = flag.Bool("long", false, "simulate ten times longer in the agreement test")

// knownGaps are the figures where the analysis on main does not yet follow
// the semantics the simulation implements, by design directory, subject and
// figure ("utilization" for every instance of a tier), with why. The test
// logs them instead of failing; every other disagreement fails it. Empty
// since Model v2 landed (quorums per operation, leaderless and leader-based
// stores).
var knownGaps = map[string]string{}

// TestAgreement simulates every example design and checks that every
// analytic figure the simulation measures (each instance's utilization,
// each tier's load, each flow's latency mean and p99) lies within the
// simulation's 99.9% interval, widened only by the tolerances Compare
// states where the analysis approximates. By default each design runs a
// few hundred thousand visits per replication (seconds in all); with CI
// set, twice as many in six replications; with -long, ten times as many.
func TestAgreement(t *testing.T) {
	budget, reps := 250_000.0, 4
	switch {
	case *long:
		budget, reps = 2_500_000, 8
	case os.Getenv("CI") != "":
		budget, reps = 500_000, 6 // the whole suite must stay within minutes
	}
	dirs, err := filepath.Glob("../testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no example designs: %v", err)
	}
	checked := 0
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			d, diags := lang.Load(dir, lang.Options{})
			if diags.HasErrors() {
				t.Fatalf("%s: %v", dir, diags)
			}
			r := analyze.ComputeWhatIf(d, &analyze.WhatIf{})
			rate := 0.0 // visits per simulated second
			for _, c := range r.Under.Components {
				rate += c.Load.Total()
			}
			dur := time.Duration(min(max(budget/rate, 0.1), 600) * float64(time.Second))
			rep := Run(context.Background(), r.Applied, Options{Duration: dur, Replications: reps, Seed: 7})
			if len(rep.Stopped) > 0 {
				t.Fatalf("stopped: %v", rep.Stopped)
			}
			for _, row := range CompareWide(rep, r) {
				if !row.Measured || row.Agrees {
					if row.Measured {
						checked++
					}
					continue
				}
				figure := row.Figure
				if strings.HasPrefix(figure, "instance ") {
					figure = "utilization" // every instance of the tier
				}
				key := name + " " + row.Subject + " " + figure
				if why, ok := knownGaps[key]; ok {
					t.Logf("known gap: %s: analytic %.6g, simulated %.6g ± %.3g (%s)", key, row.Analytic, row.Sim.Mean, row.Sim.Half, why)
					continue
				}
				t.Errorf("%s %s: analytic %.6g outside the simulation's %.6g ± %.3g (tolerance %.3g %s)", row.Subject, row.Figure, row.Analytic, row.Sim.Mean, row.Sim.Half, row.Tolerance, row.Why)
			}
		})
	}
	if checked < 100 {
		t.Errorf("only %d figures were measured well enough to compare", checked)
	}
}

// CompareWide is Compare with 99.9% intervals (for a test that checks every
// figure of many designs at once).
func CompareWide(rep *Report, r *analyze.WhatIfResult) []Row { return compare(rep, r, true) }
