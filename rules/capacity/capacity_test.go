package capacity_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/rules/capacity"
)

// run runs the capacity rule on a design with the given rule parameters.
func run(t *testing.T, src string, params map[string]float64) []analyze.Finding {
	t.Helper()
	d, diags := lang.LoadFiles(map[string][]byte{"design.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("design does not load: %v", diags)
	}
	r := analyze.Compute(d)
	var out []analyze.Finding
	pass := analyze.NewPass(capacity.Analyzer, d, func() *analyze.Results { return r }, params, func(f analyze.Finding) {
		out = append(out, f)
	})
	if err := capacity.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	return out
}

const design = `
system "s" {}

client "web" {
  rps = 10000
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 12
  capacity_rps = 1000
}
`

// Without max_utilization in the design, the rule parameter decides.
func TestParam(t *testing.T) {
	fs := run(t, design, nil)
	if len(fs) != 1 || fs[0].Severity != analyze.Warning || !strings.HasSuffix(strings.Split(fs[0].Message, ";")[0], "= 0.833 > 0.8") {
		t.Fatalf("default parameter: %v, want one warning 0.833 > 0.8", fs)
	}
	if fs := run(t, design, map[string]float64{"max_utilization": 0.9}); len(fs) != 0 {
		t.Errorf("max_utilization = 0.9: %v, want no finding", fs)
	}
	fs = run(t, design, map[string]float64{"max_utilization": 0.5})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "0.833 > 0.5") {
		t.Errorf("max_utilization = 0.5: %v", fs)
	}
	// The design's own setting wins over the parameter.
	withDefault := strings.Replace(design, `system "s" {}`, `system "s" {
  defaults {
    max_utilization = 0.9
  }
}`, 1)
	if fs := run(t, withDefault, map[string]float64{"max_utilization": 0.5}); len(fs) != 0 {
		t.Errorf("system default 0.9 with parameter 0.5: %v, want no finding", fs)
	}
}

// The figures behind a finding, and the error at utilization ≥ 1.
func TestData(t *testing.T) {
	fs := run(t, strings.Replace(design, "rps = 10000", "rps = 12000", 1), nil)
	if len(fs) != 1 {
		t.Fatalf("got %v, want one finding", fs)
	}
	f := fs[0]
	if f.Severity != analyze.Error || !strings.HasPrefix(f.Message, "utilization = 12000 rps / (12 × 1000 rps) = 1 ≥ 1; the design carries at most 1 × 12000 rps = 12000 rps from client.web") {
		t.Errorf("message = %q (%v)", f.Message, f.Severity)
	}
	if f.Data["load_rps"] != 12000.0 || f.Data["utilization"] != 1.0 || f.Data["bottleneck"] != "service.api" ||
		f.Data["max_entry_rps"].(map[string]float64)["client.web"] != 12000 {
		t.Errorf("data = %v", f.Data)
	}
	// ⌈12000 / (1000 × 0.8)⌉ = 15: 12000 / 15000 = 0.8, not above the limit.
	if !strings.Contains(f.Detail, "15 instances keep utilization at or under 0.8 (replicas = 15)") {
		t.Errorf("detail = %q, want 15 instances", f.Detail)
	}
}

// A load that overflows to +Inf (huge rates times huge fan-outs) is still an
// error, with no nonsense headroom ("carries at most 0 × ...") and no
// instance count overflowed to a negative number.
func TestOverflowingLoad(t *testing.T) {
	// Rates and fan-outs are bounded (1e12) by the decoder, but a chain of
	// fan-outs still multiplies past float64: 1e12 × (1e12)^26 = +Inf.
	var b strings.Builder
	b.WriteString("system \"s\" {}\n\nclient \"web\" {\n  rps = 1e12\n  call {\n    to = service.s0\n  }\n}\n")
	const hops = 26
	for i := 0; i < hops; i++ {
		fmt.Fprintf(&b, "service \"s%d\" {\n  call {\n    to          = service.s%d\n    per_request = 1e12\n  }\n}\n", i, i+1)
	}
	fmt.Fprintf(&b, "service \"s%d\" {\n  capacity_rps = 1000\n}\n", hops)
	fs := run(t, b.String(), nil)
	if len(fs) != 1 || fs[0].Severity != analyze.Error {
		t.Fatalf("findings %v, want one error", fs)
	}
	f := fs[0]
	if strings.Contains(f.Message, "carries at most") || strings.Contains(f.Detail, "-9223372036854775808") {
		t.Errorf("message %q\ndetail %q", f.Message, f.Detail)
	}
	if !strings.Contains(f.Detail, "No number of instances archform models (at most 100000) keeps utilization at or under 0.8") {
		t.Errorf("detail %q", f.Detail)
	}
}

// A load just too large for the most instances archform models says so too.
func TestLoadBeyondMaxInstances(t *testing.T) {
	fs := run(t, strings.Replace(design, "rps = 10000", "rps = 1e9", 1), nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Detail, "No number of instances") {
		t.Fatalf("findings %v", fs)
	}
	fs = run(t, strings.Replace(design, "rps = 10000", "rps = 1e7", 1), nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Detail, "12500 instances keep utilization at or under 0.8 (replicas = 12500)") {
		t.Fatalf("findings %v", fs)
	}
}

// A finding speaks of its subject: on a design of independent groups, the
// finding about a tier names the bottleneck of the flows through it, in its
// own group, and the headroom of its own clients; only the design's
// bottleneck states the design-wide figure, once. Its size does not grow
// with the design: the data lists at most maxData clients.
func TestLocalHeadroom(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"groups.arch.hcl": designgen.Groups(30)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r := analyze.Compute(d)
	var fs []analyze.Finding
	pass := analyze.NewPass(capacity.Analyzer, d, func() *analyze.Results { return r }, nil, func(f analyze.Finding) {
		if f.Key == "utilization" {
			fs = append(fs, f)
		}
	})
	if err := capacity.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	group := regexp.MustCompile(`^[a-z_]+\.[a-z]+(\d+)`)
	designWide := 0
	for _, f := range fs {
		g := group.FindStringSubmatch(f.Subject)[1]
		bottleneck := f.Data["bottleneck"].(string)
		if strings.Contains(f.Message, "the design carries at most") {
			designWide++
			if bottleneck != f.Subject || f.Data["clients"] != 30 {
				t.Errorf("%s: the design-wide figure on a tier that is not the design's bottleneck: %s (data %v)", f.Subject, f.Message, f.Data)
			}
		} else if want := fmt.Sprintf("its flows (browse_%s, order_%s) carry at most", g, g); !strings.Contains(f.Message, want) {
			t.Errorf("%s: message %q, want %q", f.Subject, f.Message, want)
		}
		if bg := group.FindStringSubmatch(bottleneck)[1]; bg != g {
			t.Errorf("%s: bottleneck %s is in another group: %s", f.Subject, bottleneck, f.Message)
		}
		if n := len(f.Data["max_entry_rps"].(map[string]float64)); n > 10 {
			t.Errorf("%s: data lists %d clients, want at most 10", f.Subject, n)
		}
	}
	if len(fs) < 5 || designWide != 1 {
		t.Errorf("%d capacity findings, %d with the design-wide headroom; want several, and one", len(fs), designWide)
	}
}
