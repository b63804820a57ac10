package baseline

import (
	"bytes"
	"github.com/archform/archform/analyze"
	"github.com/archform/archform/internal/linttest"
	"github.com/archform/archform/lintcmd/config"
	"strings"
	"testing"
)

const baseDesign = `service "api" {
  replicas = 1
}

service "worker" {
  replicas = 1
}
`

func runFake(t *testing.T, src string, cfg *analyze.Config) *analyze.Report {
	t.Helper()
	rep, err := analyze.Run(linttest.Design(t, map[string]string{"d.arch.hcl": src}), []*analyze.Analyzer{linttest.SingleReplica}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func writeBaseline(t *testing.T, rep *analyze.Report) *Baseline {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, rep, nil); err != nil {
		t.Fatal(err)
	}
	b, err := Read(&buf, "b.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteBaseline(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, runFake(t, baseDesign+"service \"db\" {\n  replicas = 1 # archform:ignore single-replica -- accepted\n}\n", nil), nil); err != nil {
		t.Fatal(err)
	}
	// Suppressed findings are not baselined: the comment already accepts them.
	linttest.Golden(t, "baseline.json", buf.Bytes())
}

func TestBaselineSameDesign(t *testing.T) {
	b := writeBaseline(t, runFake(t, baseDesign, nil))
	rep := runFake(t, baseDesign, nil)
	applied := Apply(rep, b)
	if len(rep.Findings) != 0 || len(applied.Matched) != 2 || len(applied.Stale) != 0 {
		t.Errorf("findings %v, baselined %d, stale %v", linttest.FindingLines(rep.Findings), len(applied.Matched), applied.Stale)
	}
	if rep.Fails(analyze.Error) {
		t.Error("baselined findings fail the run")
	}
}

func TestBaselineSurvivesLineMovesAndFigures(t *testing.T) {
	b := writeBaseline(t, runFake(t, baseDesign, nil))
	moved := "# a header\n\n\n" + strings.ReplaceAll(baseDesign, "service \"worker\" {\n", "service \"worker\" {\n  # moved down\n")
	cfg, diags := config.Parse([]byte(`rule "single-replica" { min_replicas = 3 }`), "c.hcl", []*analyze.Analyzer{linttest.SingleReplica})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	rep := runFake(t, moved, cfg) // messages now say "min_replicas = 3"
	applied := Apply(rep, b)
	if len(rep.Findings) != 0 || len(applied.Stale) != 0 {
		t.Errorf("findings %v, stale %v", linttest.FindingLines(rep.Findings), applied.Stale)
	}
}

func TestBaselineNewAndStale(t *testing.T) {
	b := writeBaseline(t, runFake(t, baseDesign, nil))
	changed := strings.Replace(baseDesign, "service \"worker\" {\n  replicas = 1", "service \"worker\" {\n  replicas = 2", 1) +
		"service \"new\" {\n  replicas = 1\n}\n"
	rep := runFake(t, changed, nil)
	applied := Apply(rep, b)
	linttest.CheckLines(t, linttest.FindingLines(rep.Findings), []string{"d.arch.hcl:9:3 error single-replica replicas = 1 < min_replicas = 2"})
	if len(applied.Stale) != 1 || applied.Stale[0].Subject != "service.worker" || applied.Stale[0].Count != 1 {
		t.Errorf("stale = %+v", applied.Stale)
	}
	if len(applied.Matched) != 1 || applied.Matched[0].Subject != "service.api" {
		t.Errorf("baselined = %v", linttest.FindingLines(applied.Matched))
	}
}

func TestBaselineCounts(t *testing.T) {
	twice := &analyze.Analyzer{ID: "twice", Summary: "s", Doc: "d", Severity: analyze.Error, Run: func(p *analyze.Pass) error {
		for range int(p.Param("n")) {
			p.Report(analyze.Finding{Message: "same problem", Subject: "service.api"})
		}
		return nil
	}, Params: []analyze.Param{{Name: "n", Default: 2}}}
	d := linttest.Design(t, nil)
	rep, _ := analyze.Run(d, []*analyze.Analyzer{twice}, nil)
	b := writeBaseline(t, rep)
	if len(b.Entries) != 1 || b.Entries[0].Count != 2 {
		t.Fatalf("entries = %+v", b.Entries)
	}
	cfg, _ := config.Parse([]byte(`rule "twice" { n = 3 }`), "c.hcl", []*analyze.Analyzer{twice})
	rep, _ = analyze.Run(d, []*analyze.Analyzer{twice}, cfg)
	applied := Apply(rep, b)
	if len(rep.Findings) != 1 || len(applied.Matched) != 2 {
		t.Errorf("a third occurrence is new: findings %d, baselined %d", len(rep.Findings), len(applied.Matched))
	}
	cfg, _ = config.Parse([]byte(`rule "twice" { n = 1 }`), "c.hcl", []*analyze.Analyzer{twice})
	rep, _ = analyze.Run(d, []*analyze.Analyzer{twice}, cfg)
	applied = Apply(rep, b)
	if len(rep.Findings) != 0 || len(applied.Stale) != 1 || applied.Stale[0].Count != 1 {
		t.Errorf("one occurrence fixed: findings %d, stale %+v", len(rep.Findings), applied.Stale)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`{"version": 2, "findings": []}`, "baseline version 2 is not supported"},
		{`{"version": 1, "findings": [], "extra": 1}`, "not an archform baseline"},
		{`[1, 2]`, "not an archform baseline"},
		{"", "the file is empty"},
		{" \n", "the file is empty"},
		{"{\n  \"version\": 1,\n  \"findings\": [\n    {\"rule\": 1}]}", ":4:14: not an archform baseline: json: cannot unmarshal number"},
		{"{\n  \"version\": 1,\n  \"findings\": [,", ":3:16: not an archform baseline: invalid character ','"},
		{`{"version": 1, "findings": []} {}`, ":1:32: not an archform baseline: more after"},
		{`{"version": 1, "findings": [{"rule": "spof", "subject": "x", "key": "k", "count": 0, "message": ""}]}`, "entry 1 needs a rule and a count"},
	} {
		_, err := Read(strings.NewReader(tc.src), "b.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "b.json") {
			t.Errorf("%s: err = %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestMessageKey(t *testing.T) {
	for in, want := range map[string]string{
		"utilization = 10000 rps / (12 × 1000 rps) = 0.833 > 0.8": "utilization = # rps / (# × # rps) = # > #",
		"zone us-east-1a lost: region r1 has 3 zones":             "zone us-east-1a lost: region r1 has # zones",
		"p = 1e-3, q = 2.5E+10 at line 12.":                       "p = #, q = # at line #.",
		"service.api2 is down":                                    "service.api2 is down",
		"-5 ms":                                                   "-# ms",
	} {
		if got := analyze.MessageKey(&analyze.Finding{Message: in}); got != want {
			t.Errorf("MessageKey(%q) = %q, want %q", in, got, want)
		}
	}
	if got := analyze.MessageKey(&analyze.Finding{Message: "zone a lost", Key: "zone:a"}); got != "zone:a" {
		t.Errorf("an explicit Key is used: %q", got)
	}
	a := analyze.Finding{Rule: "spof", Subject: "service.api", Message: "3 of 4 down"}
	b := a
	b.Message = "2 of 4 down"
	b.Range.Start.Line = 40
	if analyze.Fingerprint(&a) != analyze.Fingerprint(&b) {
		t.Error("fingerprint changed with figures and lines")
	}
	b.Subject = "service.web"
	if analyze.Fingerprint(&a) == analyze.Fingerprint(&b) {
		t.Error("fingerprint ignores the subject")
	}
}

// A baseline keeps one entry per finding a rule reported, grouped or not (a
// baseline written before findings were grouped stays valid), and a grouped
// finding is matched member by member: what the baseline does not accept is
// grouped again.
func TestBaselineGroupedMembers(t *testing.T) {
	grouped := func() *analyze.Report {
		rep := runFake(t, baseDesign, nil)
		if len(rep.Findings) != 2 {
			t.Fatalf("want the fake rule's two findings, got %v", linttest.FindingLines(rep.Findings))
		}
		// Two findings of one cause, as spof and zone-failure-capacity give.
		for i := range rep.Findings {
			rep.Findings[i].Cause = analyze.Cause("zone-loss", "service.api")
		}
		rep.Findings = analyze.Group(rep.Findings)
		if len(rep.Findings) != 1 || len(rep.Findings[0].Grouped) != 1 {
			t.Fatalf("not grouped: %v", linttest.FindingLines(rep.Findings))
		}
		return rep
	}
	b := writeBaseline(t, grouped())
	if len(b.Entries) != 2 {
		t.Fatalf("baseline of a grouped finding has %d entries, want one per member (2)", len(b.Entries))
	}
	rep := grouped()
	if applied := Apply(rep, b); len(rep.Findings) != 0 || len(applied.Matched) != 2 || len(applied.Stale) != 0 {
		t.Errorf("findings %v, matched %d, stale %v", linttest.FindingLines(rep.Findings), len(applied.Matched), applied.Stale)
	}
	// A baseline accepting only the worker's finding leaves the api's, alone.
	b.Entries = []Entry{b.Entries[1]}
	rep = grouped()
	applied := Apply(rep, b)
	if len(rep.Findings) != 1 || len(rep.Findings[0].Grouped) != 0 || rep.Findings[0].Subject != "service.api" || len(applied.Matched) != 1 {
		t.Errorf("findings %v (grouped %d), matched %d", linttest.FindingLines(rep.Findings), len(rep.Findings[0].Grouped), len(applied.Matched))
	}
}
