package rules_test

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
)

// lintDir lints an example design with the whole suite.
func lintDir(t *testing.T, dir string, cfg *analyze.Config) *analyze.Report {
	t.Helper()
	d, diags := lang.Load(dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("%s does not load: %v", dir, diags)
	}
	rep, err := analyze.Run(d, rules.All, cfg)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return rep
}

// eventsOf names the failure events a finding reports, read from its data
// (not from its Cause): the tier a zone or region loss leaves short, the
// cache whose loss overloads the tier behind it, the primary without
// failover. Findings of other rules name their rule, subject and key.
func eventsOf(f *analyze.Finding) []string {
	switch f.Rule {
	case "zone-failure-capacity":
		return []string{"zone loss of " + f.Subject}
	case "cache-failure-capacity":
		return []string{"cache down " + fmt.Sprint(f.Data["cache"])}
	case "spof":
		tiers, _ := f.Data["tiers"].([]map[string]any)
		// A finding about one tier's one instance, and nothing else, is
		// about that instance's loss, whichever event took it: the
		// instance, or the zone or region it runs in.
		lone := len(tiers) > 0
		for _, tr := range tiers {
			lone = lone && tr["component"] == tiers[0]["component"] && tr["up"] == 0 && tr["instances"] == 1
		}
		if lone {
			return []string{fmt.Sprint("lone instance of ", tiers[0]["component"])}
		}
		var out []string
		for _, tr := range tiers {
			comp := fmt.Sprint(tr["component"])
			switch {
			case tr["overloads"] != nil && strings.HasPrefix(comp, "cache."):
				out = append(out, "cache down "+comp)
			case f.Data["event"] == "zone" || f.Data["event"] == "region":
				out = append(out, "zone loss of "+comp)
			default:
				out = append(out, fmt.Sprintf("%s of %s", f.Data["event"], comp))
			}
		}
		return out
	}
	return []string{f.Rule + " " + f.Subject + " " + analyze.MessageKey(f)}
}

// eventOwners maps each event the report's unsuppressed findings name to
// the finding that reports it, and returns what two findings report.
func eventOwners(rep *analyze.Report) (map[string]int, []string) {
	owner := map[string]int{}
	var twice []string
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Suppressed != nil {
			continue
		}
		seen := map[string]bool{}
		for _, m := range f.Members() {
			for _, ev := range eventsOf(&m) {
				if seen[ev] {
					continue
				}
				seen[ev] = true
				if j, ok := owner[ev]; ok {
					twice = append(twice, fmt.Sprintf("%s is reported by two findings: %q (%s) and %q (%s)", ev,
						rep.Findings[j].Message, rep.Findings[j].Rule, f.Message, f.Rule))
				}
				owner[ev] = i
			}
		}
	}
	return owner, twice
}

// On every example design and every imported corpus system, no two
// findings report one event: a tier's zone loss, a cache's failure, the loss
// of the one instance a tier's flows hang on (ratelimiter's database.orders:
// its primary, without automatic failover, and zone "a", where it runs).
func TestOneFindingPerCause(t *testing.T) {
	check := func(t *testing.T, designs map[string]*lang.Design) {
		for _, name := range slices.Sorted(maps.Keys(designs)) {
			rep, err := analyze.Run(designs[name], rules.All, nil)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			_, twice := eventOwners(rep)
			for _, e := range twice {
				t.Errorf("%s: %s", name, e)
			}
		}
	}
	check(t, exampleDesigns(t))
	t.Run("corpus", func(t *testing.T) { check(t, corpusDesigns(t)) })
}

// On the shop, no two findings share a cause: the api's zone loss is one
// finding (zone-failure-capacity, with spof's zones a, b and c grouped in
// it), the cache's failure is one (spof with cache-failure-capacity, and
// no-capacity's note on the cache folded in), and each grouped finding keeps
// its own location.
func TestShopOneFindingPerCause(t *testing.T) {
	rep := lintDir(t, "../testdata/shop", nil)
	owner, twice := eventOwners(rep)
	for _, e := range twice {
		t.Error(e)
	}
	find := func(ev string) *analyze.Finding {
		i, ok := owner[ev]
		if !ok {
			t.Fatalf("no finding of %s", ev)
		}
		return &rep.Findings[i]
	}

	api := find("zone loss of service.api")
	var got []string
	for _, m := range api.Members() {
		got = append(got, m.Rule+" "+m.Key)
		if m.Range.Filename == "" || m.Range.Start.Line == 0 {
			t.Errorf("grouped finding %s %q has no location", m.Rule, m.Message)
		}
	}
	want := []string{"zone-failure-capacity zone or region lost", "spof zone a", "spof zone b", "spof zone c"}
	if !slices.Equal(got, want) {
		t.Errorf("the api's zone loss groups %q, want %q", got, want)
	}
	for _, z := range []string{`zone "a"`, `zone "b"`, `zone "c"`} {
		if !strings.Contains(api.Message, z) {
			t.Errorf("the api's zone-loss finding does not list %s: %s", z, api.Message)
		}
	}

	cache := find("cache down cache.sessions")
	got = nil
	for _, m := range cache.Members() {
		got = append(got, m.Rule+" "+m.Subject)
	}
	want = []string{"spof cache.sessions", "cache-failure-capacity database.orders", "no-capacity cache.sessions"}
	if !slices.Equal(got, want) {
		t.Errorf("the cache's failure groups %q, want %q", got, want)
	}

	// The load balancer's missing capacity_rps is the only thing said about
	// it: it stays a finding of its own.
	lb := find("no-capacity load_balancer.edge no capacity_rps")
	if lb.Rule != "no-capacity" || len(lb.Grouped) != 0 {
		t.Errorf("load_balancer.edge: %s with %d grouped, want no-capacity alone", lb.Rule, len(lb.Grouped))
	}
	if e, w, i, _ := rep.Counts(); e+w+i != len(rep.Findings) || len(rep.Findings) >= len(analyze.Ungroup(rep.Findings)) {
		t.Errorf("counts %d+%d+%d for %d findings (%d ungrouped)", e, w, i, len(rep.Findings), len(analyze.Ungroup(rep.Findings)))
	}
}

// Every rule stays suppressible on its own: suppressing zone-failure-capacity
// on the api leaves spof's three zone findings grouped as one, and
// disabling spof leaves zone-failure-capacity alone.
func TestGroupingKeepsRulesSuppressible(t *testing.T) {
	d, diags := lang.Load("../testdata/shop", lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	name := filepath.Join("../testdata/shop", "shop.arch.hcl")
	src := string(d.Files[name].Bytes)
	edited := strings.Replace(src, "  replicas     = 12\n", "  # archform:ignore zone-failure-capacity -- the test's own\n  replicas     = 12\n", 1)
	if edited == src {
		t.Fatal("the shop's api has no replicas = 12 line")
	}
	d2, diags := lang.LoadFiles(map[string][]byte{name: []byte(edited)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	rep, err := analyze.Run(d2, rules.All, nil)
	if err != nil {
		t.Fatal(err)
	}
	var zfc, spofZones int
	for _, f := range rep.Findings {
		if f.Rule == "zone-failure-capacity" {
			zfc++
			if f.Suppressed == nil || len(f.Grouped) > 0 {
				t.Errorf("zone-failure-capacity: suppressed %v, %d grouped; want suppressed, alone", f.Suppressed != nil, len(f.Grouped))
			}
		}
		if f.Rule == "spof" && strings.HasPrefix(f.Key, "zone ") {
			spofZones++
			if len(f.Grouped) != 2 {
				t.Errorf("spof %s: %d grouped, want zones b and c", f.Key, len(f.Grouped))
			}
		}
	}
	if zfc != 1 || spofZones != 1 {
		t.Errorf("%d zone-failure-capacity, %d spof zone findings; want 1 and 1", zfc, spofZones)
	}

	cfg := analyze.DefaultConfig()
	off := false
	cfg.Rules = map[string]*analyze.RuleConfig{"spof": {ID: "spof", Enabled: &off}}
	rep = lintDir(t, "../testdata/shop", cfg)
	for _, f := range analyze.Ungroup(rep.Findings) {
		if f.Rule == "spof" {
			t.Errorf("spof disabled, yet: %s", f.Message)
		}
	}
	for _, f := range rep.Findings {
		if f.Rule == "zone-failure-capacity" && len(f.Grouped) != 0 {
			t.Errorf("zone-failure-capacity groups %d findings with spof off", len(f.Grouped))
		}
	}
}

// The causes the rules set on every example design are of a kind the
// grouping table lists, set by a rule it lists for that kind.
func TestCausesListed(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no example designs: %v", err)
	}
	n := 0
	for _, dir := range dirs {
		for _, f := range analyze.Ungroup(lintDir(t, dir, nil).Findings) {
			if f.Cause == "" {
				continue
			}
			n++
			kind, _, _ := strings.Cut(f.Cause, " ")
			i := slices.IndexFunc(analyze.CauseKinds, func(k analyze.CauseKind) bool { return k.Name == kind })
			if i < 0 || !slices.Contains(analyze.CauseKinds[i].Rules, f.Rule) {
				t.Errorf("%s: %s sets cause %q, which the grouping table does not list for it", dir, f.Rule, f.Cause)
			}
		}
	}
	if n == 0 {
		t.Error("no finding of any example has a cause")
	}
}

// A config server that the internet reaches through the gateway that calls
// it across the trust-zone boundary with no auth is one finding: public-admin
// (the exposure), with zone-auth's unauthenticated call grouped in it; each
// rule stays suppressible, and the other stands alone then.
func TestAdminReachedOneFinding(t *testing.T) {
	src := `
system "s" {}
client "web" {
  call {
    to = gateway.api
  }
}
gateway "api" {
  auth = "oauth2"
  rate_limit {
    rate = 100
    per  = "client"
  }
  call {
    to = service.config
  }
  call {
    to = service.orders
  }
}
service "config" {
  role = "config"
}
service "orders" {
  auth = "jwt"
}
flow "f" {
  entry = client.web
}
`
	lint := func(src string) []analyze.Finding {
		d, diags := lang.LoadFiles(map[string][]byte{"s.arch.hcl": []byte(src)}, lang.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		rep, err := analyze.Run(d, rules.All, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []analyze.Finding
		for _, f := range rep.Findings {
			if f.Subject == "service.config" && f.Suppressed == nil {
				out = append(out, f)
			}
		}
		return out
	}
	members := func(f analyze.Finding) []string {
		var out []string
		for _, m := range f.Members() {
			out = append(out, m.Rule)
		}
		return out
	}
	got := lint(src)
	if len(got) != 1 || !slices.Equal(members(got[0]), []string{"public-admin", "zone-auth"}) {
		var all [][]string
		for _, f := range got {
			all = append(all, members(f))
		}
		t.Fatalf("service.config: findings %v, want one: public-admin with zone-auth grouped", all)
	}
	for _, rule := range []string{"public-admin", "zone-auth"} {
		other := "zone-auth"
		if rule == other {
			other = "public-admin"
		}
		edited := strings.Replace(src, `service "config" {`, "# archform:ignore "+rule+" -- the test's own\nservice \"config\" {", 1)
		got := lint(edited)
		if len(got) != 1 || !slices.Equal(members(got[0]), []string{other}) {
			t.Errorf("with %s suppressed: %d findings, want %s alone", rule, len(got), other)
		}
	}
}
