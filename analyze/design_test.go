package analyze

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/archform/archform/lang"
)

// builder makes typed designs in Go for tests that need shapes no example
// file has (the bank, hot shards, queues), with the language's defaults.
type builder struct {
	d *lang.Design
}

func newBuilder(zonesByRegion ...[]string) *builder {
	d := &lang.Design{System: &lang.System{Name: "test",
		Defaults: lang.Defaults{Availability: lang.DefaultAvailability, MaxUtilization: lang.DefaultMaxUtilization}}}
	for i, zs := range zonesByRegion {
		r := &lang.Region{Name: fmt.Sprintf("r%d", i+1)}
		for _, z := range zs {
			zone := &lang.Zone{Name: z, Region: r}
			r.Zones = append(r.Zones, zone)
			d.Zones = append(d.Zones, zone)
		}
		d.Regions = append(d.Regions, r)
	}
	return &builder{d: d}
}

func (b *builder) comp(kind lang.Kind, name string, set func(c *lang.Component)) *lang.Component {
	c := &lang.Component{Kind: kind, Name: name, Addr: string(kind) + "." + name,
		Replicas: 1, Availability: b.d.System.Defaults.Availability,
		MaxUtilization: b.d.System.Defaults.MaxUtilization, ReadRatio: 1, Shards: 1, ShardSkew: 1,
		Layer: 7, Algorithm: "round_robin",
		Replication: lang.Replication{Mode: "none", ReadFrom: "primary", Failover: "manual"}}
	if set != nil {
		set(c)
	}
	b.d.Components = append(b.d.Components, c)
	return c
}

func (b *builder) call(from, to *lang.Component, set func(call *lang.Call)) *lang.Call {
	call := &lang.Call{From: from, To: to, Index: len(from.Calls), Op: lang.OpReadWrite,
		PerRequest: 1, Mode: "sync", Required: true, Weight: 1}
	if set != nil {
		set(call)
	}
	from.Calls = append(from.Calls, call)
	return call
}

func (b *builder) consume(consumer, q *lang.Component, workers int, rate float64) {
	consumer.Consumes = append(consumer.Consumes, &lang.Consume{Consumer: consumer, Queue: q, Workers: workers, Rate: rate})
}

func (b *builder) flow(name string, entry *lang.Component, op lang.Op) *lang.Flow {
	f := &lang.Flow{Name: name, Entry: entry, Op: op, RPS: entry.RPS}
	b.d.Flows = append(b.d.Flows, f)
	return f
}

// design places the instances (zones round-robin, a database's primary
// first in each shard) and indexes the design.
func (b *builder) design() *lang.Design {
	for _, c := range b.d.Components {
		c.Instances = nil
		if c.Kind == lang.KindClient {
			continue
		}
		place := func(i, shard int, role lang.Role) {
			inst := &lang.Instance{Component: c, Index: len(c.Instances), Role: role, Shard: shard}
			if len(c.Zones) > 0 {
				inst.Zone = c.Zones[i%len(c.Zones)]
				if z := b.zone(inst.Zone); z != nil {
					inst.Region = z.Region.Name
				}
			}
			c.Instances = append(c.Instances, inst)
		}
		switch {
		case c.Kind == lang.KindDatabase && c.Quorum != nil:
			for s := range c.Shards {
				for i := range c.Quorum.N {
					place(i, s, lang.RoleMember)
				}
			}
		case c.Kind == lang.KindDatabase:
			for s := range c.Shards {
				place(0, s, lang.RolePrimary)
				for i := range c.Replication.Replicas {
					place(i+1, s, lang.RoleReplica)
				}
			}
		default:
			for i := range c.Replicas {
				place(i, 0, lang.RoleInstance)
			}
		}
	}
	b.d.Index()
	return b.d
}

func (b *builder) zone(name string) *lang.Zone {
	for _, z := range b.d.Zones {
		if z.Name == name {
			return z
		}
	}
	return nil
}

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

// handShop is LANGUAGE.md's canonical example built in Go.
func handShop() *lang.Design {
	b := newBuilder([]string{"a", "b", "c"})
	b.d.System.Name = "shop"
	web := b.comp(lang.KindClient, "web", func(c *lang.Component) { c.RPS, c.ReadRatio = 10000, 0.9 })
	edge := b.comp(lang.KindLoadBalancer, "edge", func(c *lang.Component) {
		c.Replicas, c.Zones, c.Algorithm, c.Latency = 2, []string{"a", "b"}, "least_connections", ms(1)
	})
	api := b.comp(lang.KindService, "api", func(c *lang.Component) {
		c.Replicas, c.Zones, c.CapacityRPS, c.Availability, c.Latency = 12, []string{"a", "b", "c"}, 1000, 0.99, ms(20)
	})
	orders := b.comp(lang.KindDatabase, "orders", func(c *lang.Component) {
		c.Engine, c.CapacityRPS, c.Availability, c.Latency = "postgres", 2000, 0.9995, ms(5)
		c.Replication = lang.Replication{Mode: "async", Replicas: 2, ReadFrom: "replicas", Failover: "manual"}
	})
	sessions := b.comp(lang.KindCache, "sessions", func(c *lang.Component) {
		c.Engine, c.Strategy, c.HitRatio, c.TTL, c.Latency, c.Origin = "redis", "cache_aside", 0.8, 60*time.Second, ms(1), orders
	})
	// Source order as in the file: cache before database.
	b.d.Components[3], b.d.Components[4] = sessions, orders
	b.call(web, edge, nil)
	b.call(edge, api, nil)
	b.call(api, sessions, func(c *lang.Call) { c.Op, c.Required = lang.OpRead, false })
	b.call(api, orders, func(c *lang.Call) { c.Op = lang.OpWrite })
	b.flow("browse", web, lang.OpRead).Consistency = lang.ReadYourWrites
	b.flow("order", web, lang.OpWrite)
	return b.design()
}

// loadShop decodes testdata/shop.
func loadShop(t testing.TB) *lang.Design {
	t.Helper()
	d, diags := lang.Load(filepath.Join("..", "testdata", "shop"), lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("loading the shop: %v", diags)
	}
	return d
}
