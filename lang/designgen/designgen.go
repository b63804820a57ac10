// Package designgen writes valid, realistic archform designs of any size,
// for benchmarks and load tests: regions and zones; clients entering through
// CDNs, load balancers and gateways; services calling services, caches,
// databases, queues, object storage, search and third parties with read and
// write operations and fan-out; queue consumers; and flows from every client.
// Services form four layers and call only deeper ones, so a request's path
// stays a few dozen tiers long whatever the design's size. Groups writes
// another shape: independent groups of ten components, for checking that
// what lint says of one part of a design stays local to it.
//
// The output depends only on n and seed, and is in canonical HCL style.
package designgen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Share of each kind among the components, for designs of 20 or more.
var shares = []struct {
	kind  string
	share float64
}{
	{"client", 0.03}, {"cdn", 0.01}, {"load_balancer", 0.05}, {"gateway", 0.02},
	{"service", 0.43}, {"cache", 0.12}, {"database", 0.14}, {"queue", 0.08},
	{"storage", 0.03}, {"search", 0.03}, {"external", 0.06},
}

var words = []string{"orders", "users", "payments", "catalog", "cart", "inventory", "shipping",
	"reviews", "auth", "notify", "media", "billing", "ledger", "sessions", "feed", "profile",
	"ads", "recs", "analytics", "pricing", "checkout", "wallet", "chat", "upload", "geo"}

type comp struct {
	kind, name string
	region     int
}

func (c comp) addr() string { return c.kind + "." + c.name }

type gen struct {
	rng     *rand.Rand
	b       strings.Builder
	regions [][]string // zones of each region
	byKind  map[string][]comp
}

// Generate returns a design of n components (n ≥ 1) for the seed.
func Generate(n int, seed int64) []byte {
	if n < 1 {
		n = 1
	}
	g := &gen{rng: rand.New(rand.NewPCG(uint64(seed), 0x5eed)), byKind: map[string][]comp{}}
	nRegions := min(1+n/2000, 3)
	for r := range nRegions {
		name := []string{"us-east", "eu-west", "ap-south"}[r]
		g.regions = append(g.regions, []string{name + "-a", name + "-b", name + "-c"})
	}
	g.allocate(n)

	fmt.Fprintf(&g.b, "system \"gen%d\" {\n  description = \"Generated design of %d components (seed %d)\"\n", n, n, seed)
	g.b.WriteString("  defaults {\n    availability = 0.999\n    max_utilization = 0.75\n  }\n")
	g.b.WriteString("  slo {\n    availability = 0.999\n    latency_p99 = \"300ms\"\n  }\n}\n\n")
	for _, zones := range g.regions {
		name := strings.TrimSuffix(zones[0], "-a")
		fmt.Fprintf(&g.b, "region %q {\n  zones = [%q, %q, %q]\n}\n\n", name, zones[0], zones[1], zones[2])
	}
	for _, s := range shares {
		for i, c := range g.byKind[s.kind] {
			g.component(c, i)
		}
	}
	g.flows()
	return hclwrite.Format([]byte(g.b.String()))
}

// allocate decides how many components of each kind there are, and names them.
func (g *gen) allocate(n int) {
	counts := map[string]int{}
	if n < 20 {
		// Small designs: a simple chain client → lb → service → cache/db/queue.
		order := []string{"client", "service", "database", "load_balancer", "cache", "queue", "service", "service", "external", "storage"}
		for i := range n {
			counts[order[i%len(order)]]++
		}
	} else {
		total := 0
		for _, s := range shares {
			c := int(float64(n) * s.share)
			counts[s.kind] = max(c, 1)
			total += counts[s.kind]
		}
		counts["service"] += n - total
	}
	for _, s := range shares {
		for i := range counts[s.kind] {
			name := fmt.Sprintf("%s_%d", words[g.rng.IntN(len(words))], i)
			g.byKind[s.kind] = append(g.byKind[s.kind], comp{kind: s.kind, name: name, region: i % len(g.regions)})
		}
	}
}

func (g *gen) pick(kind string) (comp, bool) {
	cs := g.byKind[kind]
	if len(cs) == 0 {
		return comp{}, false
	}
	return cs[g.rng.IntN(len(cs))], true
}

func (g *gen) zones(c comp, n int) string {
	zs := g.regions[c.region]
	q := make([]string, min(n, len(zs)))
	for i := range q {
		q[i] = fmt.Sprintf("%q", zs[i])
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func (g *gen) call(to comp, attrs ...string) {
	fmt.Fprintf(&g.b, "  call {\n    to = %s\n", to.addr())
	for _, a := range attrs {
		fmt.Fprintf(&g.b, "    %s\n", a)
	}
	g.b.WriteString("  }\n")
}

// front returns where a client's or CDN's traffic enters.
func (g *gen) front() (comp, bool) {
	for _, k := range []string{"load_balancer", "gateway", "service"} {
		if c, ok := g.pick(k); ok {
			return c, true
		}
	}
	return comp{}, false
}

func (g *gen) component(c comp, i int) {
	fmt.Fprintf(&g.b, "%s %q {\n", c.kind, c.name)
	r := g.rng
	switch c.kind {
	case "client":
		fmt.Fprintf(&g.b, "  rps = %d\n  read_ratio = %.2f\n", 500+r.IntN(20000), 0.5+r.Float64()*0.45)
		if cdn, ok := g.pick("cdn"); ok && r.IntN(3) == 0 {
			g.call(cdn, `op = "read"`)
		}
		if f, ok := g.front(); ok {
			g.call(f)
		}
	case "cdn":
		fmt.Fprintf(&g.b, "  hit_ratio = %.2f\n  ttl = \"%dm\"\n  latency = \"2ms\"\n", 0.6+r.Float64()*0.35, 1+r.IntN(60))
		if lb, ok := g.pick("load_balancer"); ok {
			g.call(lb, `op = "read"`)
		}
	case "load_balancer":
		fmt.Fprintf(&g.b, "  replicas = 2\n  zones = %s\n  algorithm = %q\n  latency = \"1ms\"\n", g.zones(c, 2),
			[]string{"round_robin", "least_connections", "random"}[r.IntN(3)])
		g.b.WriteString("  health_check {\n    path = \"/healthz\"\n    interval = \"5s\"\n  }\n")
		for range 1 + r.IntN(2) {
			if t, ok := g.pick([]string{"gateway", "service"}[r.IntN(2)]); ok {
				g.call(t)
			}
		}
	case "gateway":
		fmt.Fprintf(&g.b, "  replicas = 3\n  zones = %s\n  auth = \"jwt\"\n  capacity_rps = %d\n  latency = \"2ms\"\n", g.zones(c, 3), 5000+r.IntN(10000))
		g.b.WriteString("  rate_limit {\n    algorithm = \"token_bucket\"\n    rate = 20000\n    burst = 2000\n    per = \"client\"\n  }\n")
		for range 1 + r.IntN(3) {
			if t, ok := g.pick("service"); ok {
				g.call(t, fmt.Sprintf("timeout = \"%dms\"", 200+r.IntN(800)))
			}
		}
	case "service":
		g.service(c, i)
	case "cache":
		fmt.Fprintf(&g.b, "  engine = \"redis\"\n  strategy = \"cache_aside\"\n  hit_ratio = %.2f\n  ttl = \"%ds\"\n  latency = \"1ms\"\n  replicas = 2\n  zones = %s\n  capacity_rps = %d\n",
			0.5+r.Float64()*0.45, 30+r.IntN(600), g.zones(c, 2), 20000+r.IntN(50000))
		if db, ok := g.pick("database"); ok {
			fmt.Fprintf(&g.b, "  origin = %s\n", db.addr())
		}
	case "database":
		g.database(c, i)
	case "queue":
		fmt.Fprintf(&g.b, "  engine = \"kafka\"\n  pattern = \"pub_sub\"\n  partitions = %d\n  delivery = \"at_least_once\"\n  retention = \"7d\"\n  zones = %s\n  replicas = 3\n",
			4*(1+r.IntN(8)), g.zones(c, 3))
		if qs := g.byKind["queue"]; i%2 == 0 && i+1 < len(qs) {
			fmt.Fprintf(&g.b, "  dead_letter = %s\n", qs[i+1].addr())
		}
	case "storage":
		g.b.WriteString("  engine = \"s3\"\n  availability = 0.9999\n  latency = \"20ms\"\n")
	case "search":
		fmt.Fprintf(&g.b, "  engine = \"opensearch\"\n  shards = %d\n  replicas = 3\n  zones = %s\n  capacity_rps = 3000\n  latency = \"15ms\"\n", 1+r.IntN(6), g.zones(c, 3))
		if q, ok := g.pick("queue"); ok {
			fmt.Fprintf(&g.b, "  consume {\n    from = %s\n    workers = 4\n    rate = 500\n  }\n", q.addr())
		}
	case "external":
		fmt.Fprintf(&g.b, "  availability = 0.99%d\n  latency = \"%dms\"\n", r.IntN(10), 50+r.IntN(200))
	}
	g.b.WriteString("}\n\n")
}

func (g *gen) service(c comp, i int) {
	r := g.rng
	replicas := 2 + r.IntN(11)
	fmt.Fprintf(&g.b, "  image = \"ghcr.io/example/%s:1.%d.0\"\n  ports = [8080]\n  replicas = %d\n  zones = %s\n  capacity_rps = %d\n  latency = \"%dms\"\n  availability = 0.99%d\n",
		strings.ReplaceAll(c.name, "_", "-"), r.IntN(20), replicas, g.zones(c, 3), 200+r.IntN(2000), 2+r.IntN(40), 5+r.IntN(5))
	fmt.Fprintf(&g.b, "  labels = {\n    team = %q\n  }\n", words[r.IntN(len(words))])
	g.b.WriteString("  resources {\n    cpu = \"500m\"\n    memory = \"512Mi\"\n  }\n")
	g.b.WriteString("  health_check {\n    path = \"/healthz\"\n    port = 8080\n  }\n")
	// Services form layers (edge, domain, core, platform) and call only
	// services of deeper layers: the call graph is acyclic and a request
	// crosses at most serviceLayers services in a row, whatever the size.
	svcs := g.byKind["service"]
	deeper := layerStart(layerOf(i, len(svcs))+1, len(svcs))
	for range r.IntN(3) {
		if deeper < len(svcs) {
			t := svcs[deeper+r.IntN(len(svcs)-deeper)]
			g.call(t, fmt.Sprintf("per_request = %d", 1+r.IntN(3)), `timeout = "500ms"`, "retries = 2")
		}
	}
	if t, ok := g.pick("cache"); ok && r.IntN(2) == 0 {
		g.call(t, `op = "read"`, "required = false")
	}
	for range r.IntN(3) {
		if t, ok := g.pick("database"); ok {
			op := []string{"read", "write", "read_write"}[r.IntN(3)]
			g.call(t, fmt.Sprintf("op = %q", op), `protocol = "sql"`, `consistency = "read_your_writes"`)
		}
	}
	if t, ok := g.pick("queue"); ok && r.IntN(3) == 0 {
		g.call(t, `op = "write"`, `mode = "async"`)
	}
	if t, ok := g.pick("storage"); ok && r.IntN(6) == 0 {
		g.call(t, `op = "write"`)
	}
	if t, ok := g.pick("search"); ok && r.IntN(6) == 0 {
		g.call(t, `op = "read"`)
	}
	if t, ok := g.pick("external"); ok && r.IntN(8) == 0 {
		g.call(t, `timeout = "2s"`, "circuit_breaker = true", "required = false")
	}
	if q, ok := g.pick("queue"); ok && r.IntN(4) == 0 {
		fmt.Fprintf(&g.b, "  consume {\n    from = %s\n    workers = %d\n    rate = %d\n    idempotent = true\n  }\n", q.addr(), 1+r.IntN(16), 50+r.IntN(500))
	}
}

// serviceLayers is how many layers the services form.
const serviceLayers = 4

// layerOf is the layer of the i-th of n services: the list split in
// serviceLayers consecutive runs.
func layerOf(i, n int) int { return i * serviceLayers / n }

// layerStart is the index of the first of n services in layer l (n past the
// last layer).
func layerStart(l, n int) int {
	if l >= serviceLayers {
		return n
	}
	return (l*n + serviceLayers - 1) / serviceLayers
}

func (g *gen) database(c comp, i int) {
	r := g.rng
	switch i % 4 {
	case 0, 1:
		fmt.Fprintf(&g.b, "  engine = \"postgres\"\n  zones = %s\n  capacity_rps = %d\n  latency = \"5ms\"\n  storage = \"%dGi\"\n", g.zones(c, 3), 1000+r.IntN(5000), 20*(1+r.IntN(50)))
		fmt.Fprintf(&g.b, "  replication {\n    mode = %q\n    replicas = %d\n    read_from = \"replicas\"\n    failover = \"automatic\"\n  }\n",
			[]string{"async", "sync", "semi_sync"}[r.IntN(3)], 1+r.IntN(3))
	case 2:
		fmt.Fprintf(&g.b, "  engine = \"cassandra\"\n  zones = %s\n  capacity_rps = %d\n  latency = \"3ms\"\n  shards = %d\n  shard_key = \"id\"\n  shard_skew = 1.2\n",
			g.zones(c, 3), 5000+r.IntN(10000), 1+r.IntN(4))
		g.b.WriteString("  quorum {\n    n = 3\n    r = 2\n    w = 2\n  }\n")
		if len(g.regions) > 1 {
			other := strings.TrimSuffix(g.regions[(c.region+1)%len(g.regions)][0], "-a")
			own := strings.TrimSuffix(g.regions[c.region][0], "-a")
			fmt.Fprintf(&g.b, "  multi_region {\n    mode = \"active_active\"\n    regions = [%q, %q]\n    conflict = \"lww\"\n  }\n", own, other)
		}
	default:
		fmt.Fprintf(&g.b, "  engine = \"etcd\"\n  zones = %s\n  capacity_rps = 2000\n  latency = \"4ms\"\n", g.zones(c, 3))
		g.b.WriteString("  quorum {\n    n = 3\n  }\n")
	}
}

func (g *gen) flows() {
	for i, c := range g.byKind["client"] {
		fmt.Fprintf(&g.b, "flow \"browse_%d\" {\n  entry = %s\n  op = \"read\"\n  consistency = \"read_your_writes\"\n}\n\n", i, c.addr())
		fmt.Fprintf(&g.b, "flow \"update_%d\" {\n  entry = %s\n  op = \"write\"\n  rps = %d\n  slo {\n    availability = 0.999\n    latency_p99 = \"500ms\"\n  }\n}\n\n", i, c.addr(), 10+g.rng.IntN(500))
	}
}
