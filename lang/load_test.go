package lang

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func loadShop(t *testing.T) *Design {
	t.Helper()
	d, diags := Load("../testdata/shop", Options{})
	if len(diags) > 0 {
		t.Fatalf("shop: %v", diags)
	}
	return d
}

func TestShop(t *testing.T) {
	d := loadShop(t)
	if d.Dir != "../testdata/shop" {
		t.Errorf("Dir = %q", d.Dir)
	}
	if _, ok := d.Files["../testdata/shop/shop.arch.hcl"]; !ok || len(d.Files) != 1 {
		t.Errorf("Files = %v", sortedKeys(d.Files))
	}
	s := d.System
	if s.Name != "shop" || s.Defaults != (Defaults{Availability: 0.999, MaxUtilization: 0.8}) {
		t.Errorf("system = %q %+v", s.Name, s.Defaults)
	}
	if s.SLO.Availability != 0.9995 || s.SLO.LatencyP99 != 200*time.Millisecond || s.SLO.RPO != 0 || !s.SLO.HasRPO {
		t.Errorf("system slo = %+v", s.SLO)
	}
	if len(d.Regions) != 1 || d.Regions[0].Name != "r1" || len(d.Zones) != 3 {
		t.Fatalf("regions = %+v", d.Regions)
	}
	for i, name := range []string{"a", "b", "c"} {
		z := d.Zones[i]
		if z.Name != name || z.Region != d.Regions[0] || d.Zone(name) != z {
			t.Errorf("zone %d = %+v", i, z)
		}
	}
	var addrs []string
	for _, c := range d.Components {
		addrs = append(addrs, c.Addr)
	}
	want := []string{"client.web", "load_balancer.edge", "service.api", "cache.sessions", "database.orders"}
	if diff := cmp.Diff(want, addrs); diff != "" {
		t.Fatalf("components (-want +got):\n%s", diff)
	}

	web := d.Component("client.web")
	if web.RPS != 10000 || web.ReadRatio != 0.9 || web.Replicas != 1 || len(web.Calls) != 1 {
		t.Errorf("web = rps %v read_ratio %v replicas %v calls %d", web.RPS, web.ReadRatio, web.Replicas, len(web.Calls))
	}
	edge := d.Component("load_balancer.edge")
	if edge.Replicas != 2 || edge.Algorithm != "least_connections" || edge.Layer != 7 || edge.Latency != time.Millisecond ||
		edge.HealthCheck == nil || edge.HealthCheck.Path != "/healthz" || edge.HealthCheck.Interval != 5*time.Second ||
		edge.Availability != 0.999 || edge.MaxUtilization != 0.8 {
		t.Errorf("edge = %+v", edge)
	}
	if diff := cmp.Diff([]string{"a", "b"}, edge.Zones); diff != "" {
		t.Errorf("edge zones: %s", diff)
	}
	api := d.Component("service.api")
	if api.Image != "ghcr.io/example/shop-api:1.0.0" || fmt.Sprint(api.Ports) != "[8080]" || api.Replicas != 12 ||
		api.CapacityRPS != 1000 || api.Availability != 0.99 || api.Latency != 20*time.Millisecond || len(api.Calls) != 2 {
		t.Errorf("api = %+v", api)
	}
	if !api.Has("availability") || api.Has("max_utilization") || !api.Has("capacity_rps") {
		t.Errorf("api ranges = %v", sortedKeys(api.Ranges))
	}
	if r := api.Range("capacity_rps"); r.Start.Line != 44 || r.Start.Column != 3 {
		t.Errorf("capacity_rps range = %v", r)
	}
	sessions := d.Component("cache.sessions")
	orders := d.Component("database.orders")
	if sessions.Engine != "redis" || sessions.Strategy != "cache_aside" || sessions.HitRatio != 0.8 ||
		sessions.TTL != time.Minute || sessions.Latency != time.Millisecond || sessions.Origin != orders {
		t.Errorf("sessions = %+v", sessions)
	}
	if orders.Engine != "postgres" || orders.CapacityRPS != 2000 || orders.Availability != 0.9995 ||
		orders.Latency != 5*time.Millisecond || orders.Model != "relational" || orders.Shards != 1 || orders.ShardSkew != 1 {
		t.Errorf("orders = %+v", orders)
	}
	if r := orders.Replication; r.Mode != "async" || r.Replicas != 2 || r.ReadFrom != "replicas" || r.Failover != "manual" {
		t.Errorf("orders replication = %+v", r)
	}
	if orders.PartitionMode != "available" || orders.Quorum != nil {
		t.Errorf("orders partition mode %q quorum %v", orders.PartitionMode, orders.Quorum)
	}
	var roles []string
	for _, in := range orders.Instances {
		roles = append(roles, fmt.Sprintf("%d:%s:%q", in.Index, in.Role, in.Zone))
	}
	if got := strings.Join(roles, " "); got != `0:primary:"" 1:replica:"" 2:replica:""` {
		t.Errorf("orders instances = %s", got)
	}

	c0, c1 := api.Calls[0], api.Calls[1]
	if c0.To != sessions || c0.Op != OpRead || c0.Required || c0.Mode != "sync" || c0.PerRequest != 1 || c0.Weight != 1 || c0.Index != 0 || c0.From != api {
		t.Errorf("api call 0 = %+v", c0)
	}
	if c1.To != orders || c1.Op != OpWrite || !c1.Required || c1.Index != 1 || !c1.Sync() {
		t.Errorf("api call 1 = %+v", c1)
	}
	if web.Calls[0].To != edge || edge.Calls[0].To != api || web.Calls[0].Op != OpReadWrite {
		t.Errorf("web/edge calls wrong")
	}
	if in := d.Incoming(orders); len(in) != 1 || in[0] != c1 {
		t.Errorf("incoming orders = %v", in)
	}
	if in := d.Incoming(api); len(in) != 1 || in[0] != edge.Calls[0] {
		t.Errorf("incoming api = %v", in)
	}

	browse, order := d.Flow("browse"), d.Flow("order")
	if browse == nil || order == nil || len(d.Flows) != 2 {
		t.Fatalf("flows = %v", d.Flows)
	}
	if browse.Entry != web || browse.Op != OpRead || browse.Consistency != ReadYourWrites || browse.RPS != 10000 {
		t.Errorf("browse = %+v", browse)
	}
	if order.Entry != web || order.Op != OpWrite || order.Consistency != "" || order.RPS != 10000 || order.Partition != "" {
		t.Errorf("order = %+v", order)
	}
	if order.SLO.Availability != 0.9995 || order.SLO.LatencyP99 != 200*time.Millisecond || !order.SLO.HasRPO {
		t.Errorf("order slo = %+v", order.SLO)
	}
}

func TestPlacement(t *testing.T) {
	tests := []struct {
		name, body string
		addr       string
		want       string // zone:role per instance
	}{
		{"five over three", `service "s" {
  replicas = 5
  zones = ["a", "b", "c"]
}`, "service.s", "a:instance b:instance c:instance a:instance b:instance"},
		{"no zones", `service "s" {
  replicas = 2
}`, "service.s", ":instance :instance"},
		{"primary first", `database "d" {
  zones = ["b", "a"]
  replication {
    mode     = "sync"
    replicas = 2
  }
}`, "database.d", "b:primary a:replica b:replica"},
		{"quorum members", `database "d" {
  engine = "etcd"
  zones  = ["a", "b", "c"]
  quorum {
    n = 5
  }
}`, "database.d", "a:member b:member c:member a:member b:member"},
		{"shards", `database "d" {
  zones  = ["a", "b", "c"]
  shards = 2
  replication {
    replicas = 1
  }
}`, "database.d", "a:primary/0 b:replica/0 c:primary/1 a:replica/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `system "x" {}
region "r1" {
  zones = ["a", "b"]
}
region "r2" {
  zones = ["c"]
}
` + tt.body
			d, diags := LoadFiles(map[string][]byte{"p.arch.hcl": []byte(src)}, Options{})
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			c := d.Component(tt.addr)
			var got []string
			for i, in := range c.Instances {
				if in.Index != i || in.Component != c {
					t.Errorf("instance %d: index %d component %v", i, in.Index, in.Component)
				}
				s := in.Zone + ":" + string(in.Role)
				if c.Shards > 1 {
					s += fmt.Sprintf("/%d", in.Shard)
				}
				got = append(got, s)
				wantRegion := map[string]string{"a": "r1", "b": "r1", "c": "r2", "": ""}[in.Zone]
				if in.Region != wantRegion {
					t.Errorf("instance %d in zone %q: region %q, want %q", i, in.Zone, in.Region, wantRegion)
				}
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("got  %s\nwant %s", s, tt.want)
			}
		})
	}
}

func TestQuorumDefaultsAndPartitionMode(t *testing.T) {
	src := `system "x" {}
database "etcd" {
  engine = "etcd"
  quorum {
    n = 5
  }
}
database "cass" {
  engine = "cassandra"
  quorum {
    n = 3
    r = 1
    w = 1
  }
}
database "cass2" {
  engine = "cassandra"
  quorum {
    n = 3
    r = 2
  }
}
database "pg" {
  engine = "postgres"
  replication {
    mode     = "async"
    replicas = 1
  }
}
database "mystery" {
  engine = "blobdb"
}
database "forced" {
  engine         = "cassandra"
  partition_mode = "consistent"
}
`
	d, diags := LoadFiles(map[string][]byte{"q.arch.hcl": []byte(src)}, Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	q := d.Component("database.etcd").Quorum
	if q == nil || q.N != 5 || q.R != 3 || q.W != 3 || d.Component("database.etcd").Replication.Mode != "quorum" {
		t.Errorf("etcd quorum = %+v", q)
	}
	want := map[string]string{"etcd": "consistent", "cass": "available", "cass2": "consistent", "pg": "consistent", "mystery": "", "forced": "consistent"}
	for name, mode := range want {
		if got := d.Component("database." + name).PartitionMode; got != mode {
			t.Errorf("%s: partition mode %q, want %q", name, got, mode)
		}
	}
	if got := d.Component("database.cass2").Quorum; got.R != 2 || got.W != 2 {
		t.Errorf("cass2 quorum = %+v", got)
	}
}

func TestVarsAndLocals(t *testing.T) {
	files := map[string][]byte{
		"a.arch.hcl": []byte(`
variable "replicas" {
  default = 3
}
variable "region" {
  type    = string
  default = "east"
}
variable "zones" {
  default = ["a", "b"]
}
locals {
  all_zones = concat(var.zones, ["c"])
  api_cap   = local.base * 2
}
locals {
  base = max(100, 250)
}
system "s" {
  description = "in ${upper(var.region)}"
}
region "r" {
  zones = local.all_zones
}
service "api" {
  replicas     = var.replicas
  zones        = local.all_zones
  capacity_rps = local.api_cap
  labels       = { tier = "front", region = var.region }
}
`)}
	d, diags := LoadFiles(files, Options{Vars: map[string]string{"replicas": "5", "region": "us-west"}})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	api := d.Component("service.api")
	if api.Replicas != 5 || api.CapacityRPS != 500 || fmt.Sprint(api.Zones) != "[a b c]" || api.Labels["region"] != "us-west" {
		t.Errorf("api = replicas %d cap %v zones %v labels %v", api.Replicas, api.CapacityRPS, api.Zones, api.Labels)
	}
	if d.System.Description != "in US-WEST" {
		t.Errorf("description = %q", d.System.Description)
	}
	// Without overrides the defaults apply.
	d, diags = LoadFiles(files, Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if api := d.Component("service.api"); api.Replicas != 3 || api.Labels["region"] != "east" {
		t.Errorf("defaults: replicas %d region %q", api.Replicas, api.Labels["region"])
	}
	// A value that is not an HCL expression is a string; an undeclared
	// variable is an error.
	d, diags = LoadFiles(files, Options{Vars: map[string]string{"zones": `["x"]`, "replica": "2"}})
	var summaries []string
	for _, d := range diags {
		summaries = append(summaries, d.Summary+": "+d.Detail)
	}
	got := strings.Join(summaries, "\n")
	if !strings.Contains(got, `A value was given for var.replica, but the design declares no variable "replica". Did you mean "replicas"?`) {
		t.Errorf("undeclared var diagnostic missing:\n%s", got)
	}
	if len(diags) != 1 {
		t.Errorf("want one diagnostic, got:\n%s", got)
	}
	if z := d.Component("service.api").Zones; fmt.Sprint(z) != "[x c]" {
		t.Errorf("--var zones override not applied: %v", z)
	}
}

func TestJSONDesign(t *testing.T) {
	src := `{
  "system": {"shop": {"defaults": {"availability": 0.99}}},
  "region": {"r1": {"zones": ["a", "b"]}},
  "client": {"web": {"rps": 100, "call": [{"to": "service.api"}]}},
  "service": {"api": {"replicas": 2, "zones": ["a", "b"], "latency": "10ms",
    "call": [{"to": "database.db", "op": "write"}]}},
  "database": {"db": {"engine": "postgres", "replication": {"mode": "sync", "replicas": 1}}},
  "flow": {"buy": {"entry": "client.web", "op": "write"}}
}`
	d, diags := LoadFiles(map[string][]byte{"d.arch.json": []byte(src)}, Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	api := d.Component("service.api")
	if api.Replicas != 2 || api.Latency != 10*time.Millisecond || api.Availability != 0.99 || len(api.Instances) != 2 {
		t.Errorf("api = %+v", api)
	}
	if d.Component("client.web").Calls[0].To != api || api.Calls[0].To != d.Component("database.db") {
		t.Errorf("calls not resolved")
	}
	if f := d.Flow("buy"); f.Entry != d.Component("client.web") || f.RPS != 100 || f.Op != OpWrite {
		t.Errorf("flow = %+v", f)
	}
	if db := d.Component("database.db"); len(db.Instances) != 2 || db.PartitionMode != "consistent" {
		t.Errorf("db = %+v", db)
	}
}

func TestDirectoryOrderAndMixedSyntax(t *testing.T) {
	files := map[string][]byte{
		"b.arch.hcl":  []byte("service \"b\" {\n  call {\n    to = service.a\n  }\n}\n"),
		"a.arch.hcl":  []byte("system \"s\" {}\nservice \"a\" {}\n"),
		"c.arch.json": []byte(`{"service": {"c": {}}}`),
	}
	d, diags := LoadFiles(files, Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var got []string
	for _, c := range d.Components {
		got = append(got, c.Addr)
	}
	if s := strings.Join(got, " "); s != "service.a service.b service.c" {
		t.Errorf("order = %s", s)
	}
}

func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	_, diags := Load(dir, Options{})
	if len(diags) != 1 || diags[0].Summary != "No design files" || diags[0].Subject == nil || diags[0].Subject.Filename != dir {
		t.Errorf("empty dir: %v", diags)
	}
	_, diags = Load(dir+"/missing", Options{})
	if len(diags) != 1 || diags[0].Summary != "Cannot read design" {
		t.Errorf("missing: %v", diags)
	}
}

func TestDiagnosticsInSourceOrder(t *testing.T) {
	files := map[string][]byte{
		"b.arch.hcl": []byte("service \"x\" {\n  replicas = 0\n}\n"),
		"a.arch.hcl": []byte("system \"s\" {}\nservice \"y\" {\n  latency = 5\n  availability = 2\n}\n"),
	}
	_, diags := LoadFiles(files, Options{})
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s:%d %s", d.Subject.Filename, d.Subject.Start.Line, d.Summary))
	}
	want := []string{"a.arch.hcl:3 Invalid duration", "a.arch.hcl:4 Value out of range", "b.arch.hcl:2 Value out of range"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"250ms": 250 * time.Millisecond, "5s": 5 * time.Second, "7d": 7 * 24 * time.Hour,
		"1h30m": 90 * time.Minute, "0s": 0, "1.5s": 1500 * time.Millisecond,
	} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "5", "s", "-1s", "5 s", "5us", "1e3s", "99999999999999d"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", in)
		}
	}
}

func TestValidQuantity(t *testing.T) {
	for _, ok := range []string{"500m", "256Mi", "20Gi", "1", "1.5", "2e3", "100k"} {
		if !ValidQuantity(ok) {
			t.Errorf("%q rejected", ok)
		}
	}
	for _, bad := range []string{"", "256MB", "-1Gi", "Gi", "1 Gi", "1.2.3"} {
		if ValidQuantity(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Every diagnostic must carry a subject with a filename and a line.
func checkSubjects(t *testing.T, diags hcl.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		if d.Subject == nil || d.Subject.Filename == "" || d.Subject.Start.Line < 1 {
			t.Errorf("diagnostic without a proper subject: %s: %s (%v)", d.Summary, d.Detail, d.Subject)
		}
	}
}

// A flow's traffic by operation: a read flow without rps of its own carries
// its client's reads, not its total; a written rps is the flow's op's.
func TestFlowOpRPS(t *testing.T) {
	d, diags := LoadFiles(map[string][]byte{"flows.arch.hcl": []byte(`
system "s" {}
client "web" {
  rps        = 1000
  read_ratio = 0.9
  call {
    to = service.api
  }
}
service "api" {}
flow "browse" {
  entry = client.web
  op    = "read"
}
flow "buy" {
  entry = client.web
  op    = "write"
}
flow "all" {
  entry = client.web
}
flow "some_reads" {
  entry = client.web
  op    = "read"
  rps   = 200
}
flow "some" {
  entry = client.web
  rps   = 100
}
`)}, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for name, want := range map[string][2]float64{
		"browse": {900, 0}, "buy": {0, 100}, "all": {900, 100}, "some_reads": {200, 0}, "some": {90, 10},
	} {
		r, w := d.Flow(name).OpRPS()
		if math.Abs(r-want[0]) > 1e-9 || math.Abs(w-want[1]) > 1e-9 {
			t.Errorf("flow %s: OpRPS = %v, %v; want %v, %v", name, r, w, want[0], want[1])
		}
	}
}
