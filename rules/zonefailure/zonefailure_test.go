package zonefailure_test

import (
	"os"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/zonefailure"
)

// The shop's finding carries every zone's figures and says how many
// replicas survive a zone loss.
func TestShopData(t *testing.T) {
	src, err := os.ReadFile("../../testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	d, diags := lang.LoadFiles(map[string][]byte{"shop.arch.hcl": src}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	rep, err := analyze.Run(d, []*analyze.Analyzer{zonefailure.Analyzer}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var fs []analyze.Finding
	for _, f := range rep.Findings {
		if f.Rule == zonefailure.Analyzer.ID {
			fs = append(fs, f)
		}
	}
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1 (service.api)", len(fs))
	}
	f := fs[0]
	if f.Subject != "service.api" || f.Data["utilization"] != 1.25 || f.Data["load_rps"] != 10000.0 {
		t.Errorf("subject %s, data %v", f.Subject, f.Data)
	}
	scenarios := f.Data["scenarios"].([]map[string]any)
	if len(scenarios) != 3 {
		t.Fatalf("scenarios = %v, want zones a, b and c", scenarios)
	}
	for i, zone := range []string{"a", "b", "c"} {
		s := scenarios[i]
		if s["kind"] != "zone" || s["lost"] != zone || s["up"] != 8 || s["instances"] != 12 || s["utilization"] != 1.25 {
			t.Errorf("scenario %d = %v, want zone %s: 8 of 12 up at 1.25", i, s, zone)
		}
	}
	// 15 over 3 zones: 5 each, 10 left after any loss = ⌈10000 / 1000⌉.
	if !strings.Contains(f.Detail, "With replicas = 15, losing any one of its 3 zones leaves 10, the ⌈10000 rps / 1000 rps⌉ = 10 the load needs.") {
		t.Errorf("detail = %q", f.Detail)
	}
}
