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
	// 17 over 3 zones: 6, 6, 5, 11 left after any loss = ⌊10000 / 1000⌋ + 1
	// (10 would run at utilization 1, which is not up).
	if !strings.Contains(f.Detail, "With replicas = 17, losing any one of its 3 zones leaves 11, the ⌊10000 rps / 1000 rps⌋ + 1 = 11 the load needs below utilization 1.") {
		t.Errorf("detail = %q", f.Detail)
	}
}

// A tier whose load after a zone loss is some 10^12 times its capacity (a
// cache of hit ratio 1 - 10^-13 in front of it, lost with its zone) gets its
// finding at once: the replicas advice is not searched for one count at a
// time, and none beyond what archform models is offered.
func TestHugeLoadAfterZoneLoss(t *testing.T) {
	src := `
system "x" {}
region "r" {
  zones = ["a", "b"]
}
client "c" {
  rps = 10000
  call {
    to = service.api
  }
}
service "api" {
  replicas = 2
  zones    = ["a", "b"]
  call {
    to       = cache.k
    op       = "read"
    required = false
  }
}
cache "k" {
  hit_ratio = 0.9999999999999
  origin    = service.b
  zones     = ["a"]
}
service "b" {
  capacity_rps = 0.00000001
  replicas     = 2
  zones        = ["a", "b"]
}
`
	d, diags := lang.LoadFiles(map[string][]byte{"x.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	rep, err := analyze.Run(d, []*analyze.Analyzer{zonefailure.Analyzer}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Subject != "service.b" {
		t.Fatalf("findings %v, want one on service.b", rep.Findings)
	}
	if f := rep.Findings[0]; strings.Contains(f.Detail, "With replicas") {
		t.Errorf("detail %q offers more replicas than archform models", f.Detail)
	}
}
