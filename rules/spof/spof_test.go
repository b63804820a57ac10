package spof_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/spof"
)

// lint runs the spof rule alone on a design given as one file's text.
func lint(t *testing.T, src string) []analyze.Finding {
	t.Helper()
	d, diags := lang.LoadFiles(map[string][]byte{"design.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("design does not load: %v", diags)
	}
	rep, err := analyze.Run(d, []*analyze.Analyzer{spof.Analyzer}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []analyze.Finding
	for _, f := range analyze.Ungroup(rep.Findings) {
		if f.Rule == spof.Analyzer.ID {
			out = append(out, f)
		}
	}
	return out
}

func shop(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The figures behind the shop's zone findings, and where they point.
func TestShopData(t *testing.T) {
	src := shop(t)
	byKey := map[string]analyze.Finding{}
	for _, f := range lint(t, src) {
		byKey[f.Subject+" "+f.Key] = f
	}
	if len(byKey) != 5 {
		t.Fatalf("got %d findings, want 5 (primary, zones a, b, c, cache): %v", len(byKey), byKey)
	}
	for _, zone := range []string{"a", "b", "c"} {
		f, ok := byKey["service.api zone "+zone]
		if !ok {
			t.Fatalf("no finding for zone %s", zone)
		}
		tiers := f.Data["tiers"].([]map[string]any)
		if len(tiers) != 1 || tiers[0]["component"] != "service.api" || tiers[0]["up"] != 8 ||
			tiers[0]["instances"] != 12 || tiers[0]["needs"] != 11 {
			t.Errorf("zone %s: tiers = %v, want service.api 8 up of 12, needs 11", zone, tiers)
		}
		if fl := fmt.Sprint(f.Data["flows"]); fl != "[browse order]" {
			t.Errorf("zone %s: flows = %s", zone, fl)
		}
		line := strings.Split(src, "\n")[f.Range.Start.Line-1]
		if !strings.Contains(line, "zones") || !strings.Contains(line, `"c"`) {
			t.Errorf("zone %s points at line %d %q, want the api's zones", zone, f.Range.Start.Line, line)
		}
		var msgs []string
		for _, r := range f.Related {
			msgs = append(msgs, r.Message)
		}
		if want := fmt.Sprintf("zone %q is declared here|flow browse needs it|flow order needs it", zone); strings.Join(msgs, "|") != want {
			t.Errorf("zone %s: related = %q, want %q", zone, msgs, want)
		}
	}
	if f := byKey["database.orders primary"]; fmt.Sprint(f.Data["flows"]) != "[order]" {
		t.Errorf("primary: flows = %v, want [order]", f.Data["flows"])
	}
	f := byKey["cache.sessions instance"]
	if tiers := f.Data["tiers"].([]map[string]any); len(tiers) != 1 || tiers[0]["overloads"] != "database.orders" ||
		tiers[0]["overload_utilization"] != 2.25 {
		t.Errorf("cache: tiers = %v, want the cache overloading database.orders to 2.25", tiers)
	}
}

// With automatic failover the primary is no longer a single point of
// failure; the shop's other findings stay.
func TestShopAutomaticFailover(t *testing.T) {
	src := strings.Replace(shop(t), `read_from = "replicas"`, `read_from = "replicas"
    failover  = "automatic"`, 1)
	for _, f := range lint(t, src) {
		if f.Subject == "database.orders" {
			t.Errorf("unexpected finding with automatic failover: %s", f.Message)
		}
	}
}

// Adding replicas never adds a single point of failure. n instances over
// three zones are placed ⌈n ÷ 3⌉ first (14: 5, 5, 4); a zone is a single
// point of failure while the others hold fewer than the 11 the api needs
// (10 would run at utilization 1; 10 replicas in all are never up).
func TestReplicasMonotone(t *testing.T) {
	src := shop(t)
	prev := -1
	for n := 11; n <= 18; n++ {
		s := strings.Replace(src, "replicas     = 12", fmt.Sprintf("replicas     = %d", n), 1)
		zones := 0
		total := 0
		for _, f := range lint(t, s) {
			total++
			if strings.HasPrefix(f.Key, "zone ") {
				zones++
			}
		}
		wantZones := 0
		for z := range 3 {
			size := n / 3
			if z < n%3 {
				size++
			}
			if n-size < 11 {
				wantZones++
			}
		}
		if zones != wantZones {
			t.Errorf("replicas = %d: %d zone findings, want %d", n, zones, wantZones)
		}
		if prev >= 0 && total > prev {
			t.Errorf("replicas = %d: %d findings, more than with one replica fewer (%d)", n, total, prev)
		}
		prev = total
	}
}

// A primary with no replica has none to fail over to: the fix is to add
// replicas first, not to set failover on replicas that do not exist.
func TestPrimaryWithoutReplicaDetail(t *testing.T) {
	src := `
system "s" {}
client "users" {
  rps = 100
  call {
    to = service.api
  }
}
service "api" {
  replicas     = 3
  capacity_rps = 1000
  call {
    to = database.db
    op = "write"
  }
}
database "db" {
  engine       = "postgres"
  capacity_rps = 1000
}
flow "f" {
  entry = client.users
}
`
	var got []analyze.Finding
	for _, f := range lint(t, src) {
		if f.Subject == "database.db" {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d findings on database.db, want 1: %v", len(got), got)
	}
	if d := got[0].Detail; !strings.Contains(d, "has no replica to take over: add replicas") || strings.Contains(d, "no replica takes over") {
		t.Errorf("detail = %q, want the advice to add replicas", d)
	}
}

// A tier that an event leaves short in several parts (a database's primary
// and its replicas) is placed once among the related locations.
func TestRelatedPlacedOnce(t *testing.T) {
	b, err := os.ReadFile("../../testdata/video/video.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range lint(t, string(b)) {
		seen := map[string]bool{}
		for _, r := range f.Related {
			if seen[r.Message] {
				t.Errorf("%s: related %q twice", f.Message, r.Message)
			}
			seen[r.Message] = true
			n++
		}
	}
	if n == 0 {
		t.Error("no related location on the video design's findings")
	}
}
