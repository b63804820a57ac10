package diff

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
)

// shopSource is the shipped shop with 18 api instances instead of 12, so
// that it survives the loss of any one zone (12 of 18 left, utilization
// 10000 / 12000 < 1): the tests then see what a change does to that.
func shopSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "shop", "shop.arch.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	return edit(t, string(b), "  replicas     = 12\n", "  replicas     = 18\n")
}

func side(t *testing.T, label, src string) *Side {
	t.Helper()
	d, diags := lang.LoadFiles(map[string][]byte{label + "/shop.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("%s: %s", label, diags.Error())
	}
	s, err := NewSide(label, d, rules.All, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// edit replaces the first match of a pattern in which every run of spaces
// in old matches any run of spaces (the example's alignment is fmt's).
func edit(t *testing.T, src, old, new string) string {
	t.Helper()
	parts := strings.Fields(old)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re := regexp.MustCompile(strings.Join(parts, `\s+`))
	loc := re.FindStringIndex(src)
	if loc == nil {
		t.Fatalf("edit: %q not in the source", old)
	}
	return src[:loc[0]] + strings.TrimSpace(new) + src[loc[1]:]
}

func compareShop(t *testing.T, head string) *Result {
	t.Helper()
	return Compare(side(t, "base", shopSource(t)), side(t, "head", head))
}

func hasChange(r *Result, c Change) bool {
	for _, x := range r.Changes {
		if x == c {
			return true
		}
	}
	return false
}

func TestNoChange(t *testing.T) {
	r := compareShop(t, shopSource(t))
	if len(r.Changes) != 0 || len(r.New) != 0 || len(r.Resolved) != 0 || len(r.Flows) != 0 || len(r.Tiers) != 0 {
		t.Fatalf("identical designs differ: %+v", r)
	}
	if r.AnyWorse() {
		t.Error("identical designs: AnyWorse")
	}
	if got := r.Verdict; len(got) != 1 || got[0] != "No change to the architecture." {
		t.Errorf("verdict = %q", got)
	}
}

// Removing the load balancer's second replica makes it a single point of
// failure of both flows: the verdict says so first, the finding is new,
// the flows' availability falls and zone b's loss now takes them down.
func TestRemoveReplica(t *testing.T) {
	head := edit(t, shopSource(t), `  replicas  = 2
  zones     = ["a", "b"]
  algorithm = "least_connections"`, `  replicas  = 1
  zones     = ["a"]
  algorithm = "least_connections"`)
	r := compareShop(t, head)
	if !hasChange(r, Change{Element: "component", Op: Changed, Subject: "load_balancer.edge", Setting: "replicas", Base: "2", Head: "1"}) {
		t.Errorf("replicas change missing: %+v", r.Changes)
	}
	if !hasChange(r, Change{Element: "component", Op: Changed, Subject: "load_balancer.edge", Setting: "zones", Base: `["a", "b"]`, Head: `["a"]`}) {
		t.Errorf("zones change missing: %+v", r.Changes)
	}
	var spof bool
	for _, f := range r.New {
		spof = spof || f.Finding.Rule == "spof" && f.Finding.Subject == "load_balancer.edge"
	}
	if !spof {
		t.Fatalf("no new spof finding for load_balancer.edge: %+v", r.New)
	}
	if !strings.HasPrefix(r.Verdict[0], "This change adds a single point of failure to flows browse and order: load_balancer.edge") {
		t.Errorf("verdict[0] = %q", r.Verdict[0])
	}
	for _, f := range r.Flows {
		if f.Base == nil || f.Head == nil || !(f.Head.Availability < f.Base.Availability) || !f.Worse {
			t.Errorf("flow %s: availability should fall: %+v %+v", f.Name, f.Base, f.Head)
		}
		// one instance at 0.999 instead of a 1-of-2 pair: the flow loses
		// (1 − 0.999) − (1 − 0.999)² of its availability, as a factor
		want := f.Base.Availability / (1 - 0.001*0.001) * 0.999
		if d := f.Head.Availability - want; d > 1e-9 || d < -1e-9 {
			t.Errorf("flow %s availability = %.12f, want %.12f", f.Name, f.Head.Availability, want)
		}
	}
	if len(r.Flows) != 2 {
		t.Errorf("flows moved: %d, want 2", len(r.Flows))
	}
	var zoneA bool
	for _, s := range r.Survival {
		if s.Scenario == "zone a lost" {
			zoneA = true
			if len(s.Head) != 2 || len(s.Base) != 0 {
				t.Errorf("zone a lost: base %v head %v, want none then browse and order", s.Base, s.Head)
			}
		}
	}
	if !zoneA {
		t.Errorf("zone a's loss should now take the flows down: %+v", r.Survival)
	}
	if !r.Worse(3) || !r.AnyWorse() {
		t.Error("the change should count as worse")
	}
}

// Adding a cache in front of the database: a component and a call added,
// and the database's load falls.
func TestAddCache(t *testing.T) {
	head := edit(t, shopSource(t), `  call {
    to = database.orders
    op = "write"
  }
}`, `  call {
    to = database.orders
    op = "write"
  }
  call {
    to = cache.catalog
    op = "read"
  }
}

cache "catalog" {
  engine    = "redis"
  hit_ratio = 0.9
  latency   = "1ms"
  replicas  = 2
  zones     = ["a", "b"]
  origin    = database.orders
}`)
	r := compareShop(t, head)
	if !hasChange(r, Change{Element: "component", Op: Added, Subject: "cache.catalog"}) {
		t.Errorf("cache not added: %+v", r.Changes)
	}
	if !hasChange(r, Change{Element: "call", Op: Added, Subject: "service.api -> cache.catalog"}) {
		t.Errorf("call not added: %+v", r.Changes)
	}
	var tier *TierDelta
	for i := range r.Tiers {
		if r.Tiers[i].Addr == "cache.catalog" {
			tier = &r.Tiers[i]
		}
	}
	if tier == nil || tier.Base != nil || tier.Head == nil {
		t.Fatalf("cache.catalog tier: %+v", tier)
	}
}

// Moving the database to one zone: its instances' zones change and the
// loss of that zone takes the flows down.
func TestDatabaseToOneZone(t *testing.T) {
	head := edit(t, shopSource(t), `database "orders" {
  engine       = "postgres"`, `database "orders" {
  zones        = ["a"]
  engine       = "postgres"`)
	r := compareShop(t, head)
	if !hasChange(r, Change{Element: "component", Op: Changed, Subject: "database.orders", Setting: "zones", Base: "", Head: `["a"]`}) {
		t.Errorf("zones change missing: %+v", r.Changes)
	}
	found := false
	for _, s := range r.Survival {
		if s.Scenario == "zone a lost" && len(s.Head) > len(s.Base) {
			found = true
		}
	}
	if !found {
		t.Errorf("zone a's loss should take flows down now: %+v", r.Survival)
	}
	if !r.AnyWorse() {
		t.Error("AnyWorse should be true")
	}
}

// Resolving: the base is the one-replica design, the head the shop.
func TestResolved(t *testing.T) {
	base := edit(t, shopSource(t), `  replicas  = 2
  zones     = ["a", "b"]
  algorithm = "least_connections"`, `  replicas  = 1
  zones     = ["a"]
  algorithm = "least_connections"`)
	r := Compare(side(t, "base", base), side(t, "head", shopSource(t)))
	if len(r.Resolved) == 0 {
		for _, f := range r.New {
			t.Logf("new: %s %s %s", f.Finding.Rule, f.Finding.Subject, f.Finding.Message)
		}
		for _, f := range r.Resolved {
			t.Logf("resolved: %s %s %s", f.Finding.Rule, f.Finding.Subject, f.Finding.Message)
		}
		t.Fatalf("new %d resolved %d", len(r.New), len(r.Resolved))
	}
	if r.AnyWorse() {
		t.Error("resolving findings is not worse")
	}
	var said bool
	for _, v := range r.Verdict {
		said = said || strings.HasPrefix(v, "It resolves ")
	}
	if !said {
		t.Errorf("verdict = %q", r.Verdict)
	}
}

func TestOutputs(t *testing.T) {
	head := edit(t, shopSource(t), "  replicas     = 18\n", "  replicas     = 11\n")
	r := compareShop(t, head)
	var text, md, js bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "~ component service.api: replicas 18 → 11") {
		t.Errorf("text:\n%s", text.String())
	}
	if !strings.HasPrefix(md.String(), CommentMarker+"\n### archform: architecture review\n\n**") {
		t.Errorf("markdown does not start with the marker and the verdict:\n%s", md.String())
	}
	var j map[string]any
	if err := json.Unmarshal(js.Bytes(), &j); err != nil {
		t.Fatalf("json: %v\n%s", err, js.String())
	}
	for _, k := range []string{"verdict", "changes", "new_findings", "resolved_findings", "flows", "tiers", "survival", "worse"} {
		if _, ok := j[k]; !ok {
			t.Errorf("json lacks %q", k)
		}
	}
	// Byte-identical run to run.
	r2 := compareShop(t, head)
	var md2 bytes.Buffer
	_ = WriteMarkdown(&md2, r2)
	if md.String() != md2.String() {
		t.Error("markdown differs between two runs")
	}
}

func TestMarkdownEscapesNames(t *testing.T) {
	if got := mdCell("a|b<script>\nc"); got != `a\|b&lt;script&gt;<br>c` {
		t.Errorf("mdCell = %q", got)
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{"CapacityRPS": "capacity_rps", "MaxUtilization": "max_utilization", "TTL": "ttl", "ReadFrom": "read_from", "N": "n", "LatencyP99": "latency_p99"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}
