package lang_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// exampleDirs lists every design directory under testdata/.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	root := filepath.Join("..", "testdata")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		files, err := lang.DesignFiles(filepath.Join(root, e.Name()))
		if err != nil || len(files) == 0 {
			continue // not a design directory (e.g. a corpus of invalid designs)
		}
		dirs = append(dirs, e.Name())
	}
	sort.Strings(dirs)
	return dirs
}

func loadExample(t *testing.T, name string) *lang.Design {
	t.Helper()
	d, diags := lang.Load(filepath.Join("..", "testdata", name), lang.Options{})
	for _, diag := range diags {
		t.Errorf("%s: %s", name, diagString(diag))
	}
	if d == nil {
		t.Fatalf("%s: no design", name)
	}
	return d
}

func diagString(d *hcl.Diagnostic) string {
	sev := "warning"
	if d.Severity == hcl.DiagError {
		sev = "error"
	}
	where := ""
	if d.Subject != nil {
		where = d.Subject.String() + ": "
	}
	return where + sev + ": " + d.Summary + ": " + d.Detail
}

// TestExamplesLoad loads every design directory under testdata/ and fails on
// any diagnostic, error or warning: the examples are what users copy.
func TestExamplesLoad(t *testing.T) {
	dirs := exampleDirs(t)
	for _, want := range []string{"shop", "urlshortener", "timeline", "video", "chat",
		"distcache", "ratelimiter", "payments", "notifications", "search"} {
		if !contains(dirs, want) {
			t.Errorf("testdata/%s is missing or holds no design files", want)
		}
	}
	for _, name := range dirs {
		t.Run(name, func(t *testing.T) {
			d := loadExample(t, name)
			if d.System == nil || d.System.Name == "" {
				t.Errorf("no system")
			}
			if len(d.Flows) == 0 {
				t.Errorf("no flows: every example states what its users do")
			}
			for _, c := range d.Components {
				for _, call := range c.Calls {
					if call.To == nil {
						t.Errorf("%s: call %d has no resolved target", c.Addr, call.Index)
					}
				}
			}
		})
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// kindCounts counts a design's components by kind.
func kindCounts(d *lang.Design) map[lang.Kind]int {
	out := map[lang.Kind]int{}
	for _, c := range d.Components {
		out[c.Kind]++
	}
	return out
}

// zonesOf returns the zone of each instance of c, in order.
func zonesOf(c *lang.Component) []string {
	var out []string
	for _, in := range c.Instances {
		out = append(out, in.Zone)
	}
	return out
}

func mustComponent(t *testing.T, d *lang.Design, addr string) *lang.Component {
	t.Helper()
	c := d.Component(addr)
	if c == nil {
		t.Fatalf("no component %s", addr)
	}
	return c
}

func mustFlow(t *testing.T, d *lang.Design, name string) *lang.Flow {
	t.Helper()
	f := d.Flow(name)
	if f == nil {
		t.Fatalf("no flow %q", name)
	}
	return f
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestExampleURLShortener(t *testing.T) {
	d := loadExample(t, "urlshortener")
	k := kindCounts(d)
	eq(t, "services", k[lang.KindService], 2)
	eq(t, "databases", k[lang.KindDatabase], 2)

	// Variables and locals: replicas and rates come from expressions.
	users := mustComponent(t, d, "client.users")
	eq(t, "client.users rps", users.RPS, 40400.0)
	eq(t, "client.users read_ratio", users.ReadRatio, 40000.0/40400)
	api := mustComponent(t, d, "service.api")
	eq(t, "service.api replicas (3 × ⌈40400 / 2000 / 2⌉)", api.Replicas, 33)
	eq(t, "service.api autoscale max", api.Autoscale.Max, 66)

	links := mustComponent(t, d, "database.links")
	eq(t, "links quorum n", links.Quorum.N, 3)
	eq(t, "links quorum r", links.Quorum.R, 1)
	eq(t, "links quorum w", links.Quorum.W, 2)
	eq(t, "links partition_mode (r + w ≤ n)", links.PartitionMode, "available")
	eq(t, "links cache origin", mustComponent(t, d, "cache.links").Origin, links)

	counter := mustComponent(t, d, "database.counter")
	eq(t, "counter members", len(counter.Instances), 3)
	eq(t, "counter quorum r (majority by default)", counter.Quorum.R, 2)
	eq(t, "counter partition_mode", counter.PartitionMode, "consistent")

	redirect := mustFlow(t, d, "redirect")
	eq(t, "redirect entry", redirect.Entry, users)
	eq(t, "redirect rps", redirect.RPS, 40000.0)
	eq(t, "redirect op", redirect.Op, lang.OpRead)
	eq(t, "redirect latency_mean", redirect.SLO.LatencyMean, 10*time.Millisecond)
	eq(t, "redirect rpo (the system's)", redirect.SLO.HasRPO, true)

	// Overriding a variable flows through locals into replicas and rates.
	d2, diags := lang.Load(filepath.Join("..", "testdata", "urlshortener"),
		lang.Options{Vars: map[string]string{"redirect_rps": "80000"}})
	if diags.HasErrors() {
		t.Fatalf("with --var: %v", diags)
	}
	eq(t, "service.api replicas with redirect_rps = 80000", d2.Component("service.api").Replicas, 63)
	eq(t, "redirect rps with redirect_rps = 80000", d2.Flow("redirect").RPS, 80000.0)
}

func TestExampleTimeline(t *testing.T) {
	d := loadExample(t, "timeline")
	// A multi-file design: components from all four files, in file order.
	files := map[string]bool{}
	for _, c := range d.Components {
		files[filepath.Base(c.DeclRange.Filename)] = true
	}
	for _, f := range []string{"edge.arch.hcl", "write_path.arch.hcl", "read_path.arch.hcl"} {
		if !files[f] {
			t.Errorf("no component declared in %s", f)
		}
	}
	eq(t, "first component", d.Components[0].Addr, "client.app") // edge < read_path < system < write_path
	eq(t, "timeline replicas", mustComponent(t, d, "service.timeline").Replicas, 141)
	eq(t, "tweets replicas", mustComponent(t, d, "service.tweets").Replicas, 12)

	fanout := mustComponent(t, d, "service.fanout")
	eq(t, "fanout consumes", len(fanout.Consumes), 1)
	eq(t, "fanout consumes from", fanout.Consumes[0].Queue.Addr, "queue.fanout")
	eq(t, "fan-out per tweet", fanout.Calls[1].PerRequest, 75.0)

	tweets := mustComponent(t, d, "database.tweets")
	eq(t, "tweets instances (16 shards × 3)", len(tweets.Instances), 48)
	eq(t, "tweets shard_skew", tweets.ShardSkew, 1.2)
	eq(t, "graph read_from", mustComponent(t, d, "database.graph").Replication.ReadFrom, "any")

	post := mustFlow(t, d, "post")
	eq(t, "post entry", post.Entry.Addr, "client.app")
	eq(t, "post rpo set", post.SLO.HasRPO, true)
	eq(t, "post rps", post.RPS, 12000.0)
}

func TestExampleVideo(t *testing.T) {
	d := loadExample(t, "video")
	k := kindCounts(d)
	eq(t, "clients", k[lang.KindClient], 3)
	eq(t, "cdns", k[lang.KindCDN], 1)
	eq(t, "storages", k[lang.KindStorage], 2)

	lb := mustComponent(t, d, "load_balancer.api")
	eq(t, "api algorithm", lb.Algorithm, "weighted")
	eq(t, "canary weight", lb.Calls[1].Weight, 5.0)

	views := mustComponent(t, d, "cache.view_counts")
	eq(t, "view_counts strategy", views.Strategy, "write_back")
	eq(t, "view_counts flush_interval", views.FlushInterval, 10*time.Second)

	meta := mustComponent(t, d, "database.metadata")
	eq(t, "metadata instances (4 shards × (1 + 2))", len(meta.Instances), 12)
	eq(t, "metadata primary of shard 1", meta.Instances[3].Role, lang.RolePrimary)
	eq(t, "metadata primary of shard 1 zone", meta.Instances[3].Zone, "use1-a")
	eq(t, "metadata multi_region", meta.MultiRegion.Mode, "active_passive")

	tq := mustComponent(t, d, "queue.transcode")
	eq(t, "transcode dead_letter", tq.DeadLetter.Addr, "queue.transcode_dlq")
	eq(t, "transcoder rate", mustComponent(t, d, "service.transcoder").Consumes[0].Rate, 0.005)

	eq(t, "flows", len(d.Flows), 4)
	eq(t, "watch rps defaults to the entry's", mustFlow(t, d, "watch").RPS, 250000.0)
}

func TestExampleChat(t *testing.T) {
	d := loadExample(t, "chat")
	eq(t, "regions", len(d.Regions), 3)
	eq(t, "zones", len(d.Zones), 9)
	lb := mustComponent(t, d, "load_balancer.ws")
	eq(t, "ws layer", lb.Layer, 4)
	eq(t, "ws algorithm", lb.Algorithm, "least_connections")
	eq(t, "ws_gateway stateful", mustComponent(t, d, "service.ws_gateway").IsStateful(), true)

	msgs := mustComponent(t, d, "database.messages")
	eq(t, "messages instances (48 shards × 3 members)", len(msgs.Instances), 144)
	eq(t, "messages member role", msgs.Instances[0].Role, lang.RoleMember)
	eq(t, "messages members of shard 0", strings.Join(zonesOf(msgs)[:3], ","), "euc1-a,euc1-b,euc1-c")
	eq(t, "messages partition_mode (r + w > n)", msgs.PartitionMode, "consistent")
	eq(t, "messages conflict", msgs.MultiRegion.Conflict, "crdt")
	eq(t, "messages regions", strings.Join(msgs.MultiRegion.Regions, ","), "ap-south,eu-central,us-east")
	eq(t, "profiles conflict", mustComponent(t, d, "database.profiles").MultiRegion.Conflict, "lww")
	eq(t, "ws_gateway region", mustComponent(t, d, "service.ws_gateway").Instances[0].Region, "eu-central")

	// --var home_region moves the deployment to another region's zones.
	d2, diags := lang.Load(filepath.Join("..", "testdata", "chat"),
		lang.Options{Vars: map[string]string{"home_region": "us-east"}})
	if diags.HasErrors() {
		t.Fatalf("with --var home_region=us-east: %v", diags)
	}
	eq(t, "ws_gateway zones in us-east", strings.Join(zonesOf(d2.Component("service.ws_gateway"))[:3], ","), "use1-a,use1-b,use1-c")
	eq(t, "ws_gateway region in us-east", d2.Component("service.ws_gateway").Instances[0].Region, "us-east")

	gw := mustComponent(t, d, "service.ws_gateway")
	eq(t, "chat call retries", gw.Calls[0].Retries, 2)
	eq(t, "chat call backoff", gw.Calls[0].Backoff, 50*time.Millisecond)
	eq(t, "send consistency", mustFlow(t, d, "send").Consistency, lang.ReadYourWrites)
	eq(t, "history rps", mustFlow(t, d, "history").RPS, 100000.0)
}

func TestExampleDistcache(t *testing.T) {
	d := loadExample(t, "distcache")
	router := mustComponent(t, d, "service.mcrouter")
	eq(t, "pool call fallback", router.Calls[0].Fallback.Addr, "cache.gutter")
	eq(t, "config call consistency", router.Calls[1].Consistency, lang.BoundedStaleness)
	eq(t, "config call max_staleness", router.Calls[1].MaxStaleness, 30*time.Second)
	pool := mustComponent(t, d, "cache.pool")
	eq(t, "pool invalidation", pool.Invalidation, "lease")
	eq(t, "pool max_utilization (own)", pool.MaxUtilization, 0.5)
	eq(t, "gutter max_utilization (system default)", mustComponent(t, d, "cache.gutter").MaxUtilization, 0.8)

	cfg := mustComponent(t, d, "database.config")
	eq(t, "consul replication mode (from the quorum block)", cfg.Replication.Mode, "quorum")
	eq(t, "consul placement", strings.Join(zonesOf(cfg), ","), "a,b,c,a,b")

	users := mustComponent(t, d, "database.users")
	eq(t, "users calls its binlog queue", users.Calls[0].To.Addr, "queue.invalidations")
	eq(t, "users instances", len(users.Instances), 48)
	eq(t, "consumers of invalidations", len(d.Consumers(mustComponent(t, d, "queue.invalidations"))), 1)
}

func TestExampleRateLimiter(t *testing.T) {
	d := loadExample(t, "ratelimiter")
	for addr, want := range map[string]lang.RateLimit{
		"load_balancer.edge": {Algorithm: "fixed_window", Rate: 200, Per: "ip"},
		"gateway.api":        {Algorithm: "sliding_window", Rate: 50, Burst: 100, Per: "client"},
		"service.api":        {Algorithm: "token_bucket", Rate: 12000, Burst: 2400, Per: "global"},
	} {
		rl := mustComponent(t, d, addr).RateLimit
		if rl == nil {
			t.Errorf("%s: no rate_limit", addr)
			continue
		}
		eq(t, addr+" rate_limit algorithm", rl.Algorithm, want.Algorithm)
		eq(t, addr+" rate_limit rate", rl.Rate, want.Rate)
		eq(t, addr+" rate_limit burst", rl.Burst, want.Burst)
		eq(t, addr+" rate_limit per", rl.Per, want.Per)
	}
	gw := mustComponent(t, d, "gateway.api")
	eq(t, "limiter call required", gw.Calls[0].Required, false)
	eq(t, "gateway auth", gw.Auth, "api_key")
	eq(t, "orders failover", mustComponent(t, d, "database.orders").Replication.Failover, "manual")
	eq(t, "rule_updates delivery", mustComponent(t, d, "queue.rule_updates").Delivery, "at_most_once")
	eq(t, "change_limits op (default)", mustFlow(t, d, "change_limits").Op, lang.OpReadWrite)
	eq(t, "change_limits rps (the entry's)", mustFlow(t, d, "change_limits").RPS, 1.0)
}

func TestExamplePayments(t *testing.T) {
	d := loadExample(t, "payments")
	pay := mustComponent(t, d, "service.payments")
	var stripe *lang.Call
	for _, c := range pay.Calls {
		if c.To.Addr == "external.stripe" {
			stripe = c
		}
	}
	if stripe == nil {
		t.Fatal("payments does not call external.stripe")
	}
	eq(t, "stripe fallback", stripe.Fallback.Addr, "external.adyen")
	eq(t, "stripe timeout", stripe.Timeout, 2*time.Second)
	eq(t, "payments secret", pay.Secrets["STRIPE_API_KEY"], lang.SecretRef{Name: "psp-stripe", Key: "api-key"})
	eq(t, "payments max_utilization (system default 0.7)", pay.MaxUtilization, 0.7)

	db := mustComponent(t, d, "database.payments")
	eq(t, "payments db mode", db.Replication.Mode, "sync")
	eq(t, "payments db instances", len(db.Instances), 3)

	ledger := mustComponent(t, d, "database.ledger")
	eq(t, "ledger placement", strings.Join(zonesOf(ledger), ","), "euw1-a,euw1-b,euw1-c,euw1-a,euw1-b")
	ev := mustComponent(t, d, "queue.payment_events")
	eq(t, "events delivery", ev.Delivery, "exactly_once")
	eq(t, "events consumers (ledger, webhooks)", len(d.Consumers(ev)), 2)
	// ledger.arch.hcl refers to payments.arch.hcl's locals.
	eq(t, "events declared in", filepath.Base(ev.DeclRange.Filename), "ledger.arch.hcl")

	charge := mustFlow(t, d, "charge")
	eq(t, "charge consistency", charge.Consistency, lang.Linearizable)
	eq(t, "charge partition", charge.Partition, "consistent")
	eq(t, "charge rpo", charge.SLO.RPO, time.Duration(0))
	eq(t, "charge has rpo", charge.SLO.HasRPO, true)
	eq(t, "status latency_p99", mustFlow(t, d, "status").SLO.LatencyP99, 200*time.Millisecond)
	eq(t, "status availability (the system's)", mustFlow(t, d, "status").SLO.Availability, 0.9995)
}

func TestExampleNotifications(t *testing.T) {
	d := loadExample(t, "notifications")
	// The externals come from providers.arch.json.
	for _, name := range []string{"apns", "fcm", "twilio", "smtp"} {
		c := mustComponent(t, d, "external."+name)
		eq(t, c.Addr+" declared in", filepath.Base(c.DeclRange.Filename), "providers.arch.json")
	}
	eq(t, "apns availability", d.Component("external.apns").Availability, 0.9995)
	eq(t, "twilio latency", d.Component("external.twilio").Latency, 300*time.Millisecond)

	for _, q := range []string{"push", "sms", "email"} {
		c := mustComponent(t, d, "queue."+q)
		if c.DeadLetter == nil || c.DeadLetter.Addr != "queue.failed" {
			t.Errorf("queue.%s dead_letter = %v, want queue.failed", q, c.DeadLetter)
		}
	}
	eq(t, "status consumers (pub_sub)", len(d.Consumers(mustComponent(t, d, "queue.status"))), 2)
	sms := mustComponent(t, d, "service.sms_worker")
	eq(t, "sms rate_limit algorithm", sms.RateLimit.Algorithm, "leaky_bucket")
	eq(t, "sms idempotent", sms.Consumes[0].Idempotent, false)
	eq(t, "prefs strategy", mustComponent(t, d, "cache.prefs").Strategy, "write_through")
	eq(t, "log quorum w", mustComponent(t, d, "database.log").Quorum.W, 1)
	eq(t, "preferences op", mustFlow(t, d, "preferences").Op, lang.OpReadWrite)
}

func TestExampleSearch(t *testing.T) {
	d := loadExample(t, "search")
	idx := mustComponent(t, d, "search.index")
	eq(t, "index shards", idx.Shards, 30)
	eq(t, "index instances", len(idx.Instances), 90)
	eq(t, "index engine", idx.Engine, "elasticsearch")
	results := mustComponent(t, d, "cache.results")
	eq(t, "results origin", results.Origin, idx)
	eq(t, "results strategy", results.Strategy, "read_through")
	eq(t, "edge algorithm", mustComponent(t, d, "load_balancer.edge").Algorithm, "ip_hash")
	eq(t, "public auth", mustComponent(t, d, "gateway.public").Auth, "none")
	crawl := mustComponent(t, d, "database.crawl_state")
	eq(t, "crawl_state instances", len(crawl.Instances), 1)
	eq(t, "crawl_state failover", crawl.Replication.Failover, "none")

	q := mustFlow(t, d, "query")
	eq(t, "query consistency", q.Consistency, lang.BoundedStaleness)
	eq(t, "query max_staleness", q.MaxStaleness, 15*time.Minute)
	eq(t, "query partition", q.Partition, "available")
	eq(t, "flows", len(d.Flows), 1)
	eq(t, "crawler command", strings.Join(mustComponent(t, d, "service.crawler").Command, " "),
		"crawler --politeness=1s --max-connections-per-host=2")
}
