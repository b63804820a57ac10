package emit

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

// TestRandomDesignsEmitValidOutput builds designs from a fixed seed, mixing
// every kind, engine, attribute and odd name, and wants both targets to emit
// output that passes their own validation: a generated manifest must never
// be an internal error, whatever valid design it comes from.
func TestRandomDesignsEmitValidOutput(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	engineOf := map[string][]string{
		"cache":    {"redis", "valkey", "memcached", "hazelcast"},
		"database": {"postgres", "mysql", "mariadb", "mongodb", "cassandra", "etcd", "dynamodb", "cockroachdb", "zookeeper"},
		"queue":    {"kafka", "rabbitmq", "nats", "sqs", "redis_streams", "pulsar"},
		"storage":  {"minio", "s3", "gcs"},
		"search":   {"elasticsearch", "opensearch", "solr"},
	}
	kinds := []string{"load_balancer", "gateway", "service", "service", "cache", "database", "queue", "storage", "search", "external", "cdn"}
	loaded := 0
	for i := 0; i < 60; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "system \"Sys %d\" {}\nregion \"r\" {\n  zones = [\"z1\", \"z2\", \"z3\"]\n}\n", i)
		b.WriteString("client \"users\" {\n  rps = 100\n}\n")
		n := 3 + r.IntN(8)
		var addrs []string
		for j := 0; j < n; j++ {
			kind := kinds[r.IntN(len(kinds))]
			name := []string{"api", "Orders_DB", "x", "very_long_component_name_that_goes_on_and_on_and_on", "cache2", "edge"}[r.IntN(6)] + fmt.Sprint(j)
			fmt.Fprintf(&b, "%s %q {\n", kind, name)
			if kind != "database" && kind != "external" && kind != "cdn" && r.IntN(2) == 0 {
				fmt.Fprintf(&b, "  replicas = %d\n", 1+r.IntN(5))
			}
			if r.IntN(2) == 0 {
				b.WriteString("  zones = [\"z1\", \"z2\"]\n")
			}
			switch kind {
			case "service", "gateway":
				if r.IntN(5) > 0 {
					fmt.Fprintf(&b, "  image = \"example.com/%s:1.%d\"\n", strings.ToLower(name), j)
				}
				if r.IntN(2) == 0 {
					fmt.Fprintf(&b, "  ports = [%d, %d]\n", 8000+j, 9000+j)
				}
				if r.IntN(2) == 0 {
					b.WriteString("  health_check {\n    path = \"/health\"\n  }\n")
				}
				if r.IntN(3) == 0 {
					b.WriteString("  autoscale {\n    min = 2\n    max = 6\n  }\n")
				}
				if r.IntN(3) == 0 {
					b.WriteString("  public = true\n  labels = {\n    tier = \"front end\"\n    owner = \"team-a\"\n  }\n")
				}
				if r.IntN(3) == 0 {
					b.WriteString("  secrets = {\n    TOKEN = \"Api_Token/value\"\n  }\n")
				}
			case "load_balancer":
				fmt.Fprintf(&b, "  layer = %d\n", []int{4, 7}[r.IntN(2)])
				fmt.Fprintf(&b, "  algorithm = %q\n", []string{"round_robin", "least_connections", "ip_hash", "weighted", "random"}[r.IntN(5)])
			case "cache", "database", "queue", "storage", "search":
				es := engineOf[kind]
				fmt.Fprintf(&b, "  engine = %q\n", es[r.IntN(len(es))])
				if kind == "database" && r.IntN(2) == 0 {
					b.WriteString("  replication {\n    mode = \"async\"\n    replicas = 2\n  }\n")
				}
				if kind == "cache" && r.IntN(2) == 0 {
					b.WriteString("  persistence = \"aof\"\n")
				}
			}
			if len(addrs) > 0 && kind != "external" {
				for k := 0; k < 1+r.IntN(2); k++ {
					fmt.Fprintf(&b, "  call {\n    to = %s\n    required = %v\n  }\n", addrs[r.IntN(len(addrs))], r.IntN(3) > 0)
				}
			}
			b.WriteString("}\n")
			addrs = append(addrs, kind+"."+name)
		}
		fmt.Fprintf(&b, "client \"more\" {\n  rps = 5\n  call {\n    to = %s\n  }\n}\n", addrs[r.IntN(len(addrs))])
		src := b.String()
		d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, lang.Options{})
		if diags.HasErrors() {
			t.Logf("design %d does not load (skipped): %s", i, diags.Error())
			continue
		}
		loaded++
		for _, e := range emitters {
			if _, err := e.run(d, Options{}); err != nil {
				t.Errorf("design %d, %s: %v\n%s", i, e.target, err, src)
			}
		}
	}
	if loaded < 30 {
		t.Fatalf("only %d of 60 random designs loaded: the generator writes invalid designs", loaded)
	}
}
