package designgen

import (
	"fmt"
	"strings"
)

// Groups returns a design of n independent groups of ten components each: a
// client entering through a load balancer, four services in a chain (the
// last reads a cache in front of a database, writes the database, and
// publishes to a queue), the cache, the database, the queue and a worker
// service consuming it; and two flows per group (reads and writes). No call
// crosses from one group to another, so what a finding says about a
// component should speak of its group only, and lint's output should grow
// linearly in n. Besides the groups, the design has one trace collector
// (an external with role = "tracing"), which no call reaches.
//
// Each group is written as a careful team writes a service: the client
// calls the load balancer over TLS, the entry service authenticates its
// callers (oauth2) and limits each one's rate, and the order flow's two
// writes (the database and the queue) commit together through an outbox.
// What is left for lint to find is deliberate: capacities vary from group
// to group (every third group's second service is short of capacity, by
// more or less), so that a design of any size has capacity findings in
// some groups and none in others; and the queue and its worker are on no
// flow (the groups have no flow through the queue). The output depends
// only on n, and is in canonical HCL style.
func Groups(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `system "groups%d" {
  description = "Generated design of %d independent groups of 10 components"
  defaults {
    availability    = 0.999
    max_utilization = 0.75
  }
  slo {
    availability = 0.999
    latency_p99  = "300ms"
  }
}

region "r1" {
  zones = ["a", "b", "c"]
}

# Every service sends its spans here: a tracing service bought as a service.
external "traces" {
  role         = "tracing"
  availability = 0.999
  latency      = "50ms"
}

`, n, n)
	for i := range n {
		group(&b, i)
	}
	return []byte(b.String())
}

// group writes the i-th group.
func group(b *strings.Builder, i int) {
	rps := 1000 + 50*(i%10)
	fmt.Fprintf(b, `client "c%[1]d" {
  rps        = %[2]d
  read_ratio = 0.8
  call {
    to = load_balancer.lb%[1]d
  }
}

load_balancer "lb%[1]d" {
  tls          = true
  replicas     = 2
  zones        = ["a", "b"]
  capacity_rps = 10000
  latency      = "1ms"
  call {
    to = service.s%[1]d_1
  }
}

`, i, rps)
	for s := 1; s <= 4; s++ {
		capacity, replicas := 400, 6
		if s == 2 && i%3 == 0 {
			// Short: utilization between 0.7 and 0.92, over the 0.75
			// target in most of these groups.
			capacity, replicas = 200, rps/200+1+(i/3)%2
		}
		fmt.Fprintf(b, `service "s%[1]d_%[2]d" {
  image        = "ghcr.io/example/s%[2]d:1.0.0"
  ports        = [8080]
  replicas     = %[3]d
  zones        = ["a", "b", "c"]
  capacity_rps = %[4]d
  latency      = "5ms"
  availability = 0.999
`, i, s, replicas, capacity)
		if s == 1 {
			// The entry: the internet reaches it through the load balancer.
			b.WriteString(`  auth         = "oauth2"
  rate_limit {
    rate  = 20
    burst = 40
    per   = "client"
  }
`)
		}
		if s < 4 {
			fmt.Fprintf(b, `  call {
    to = service.s%[1]d_%[2]d
  }
}

`, i, s+1)
			continue
		}
		fmt.Fprintf(b, `  call {
    to       = cache.cache%[1]d
    op       = "read"
    required = false
  }
  call {
    to = database.db%[1]d
    op = "write"
  }
  call {
    to   = queue.q%[1]d
    op   = "write"
    mode = "async"
  }
}

`, i)
	}
	dbCapacity := 2000
	if i%5 == 0 {
		dbCapacity = 800 // short when the cache is down
	}
	fmt.Fprintf(b, `cache "cache%[1]d" {
  engine    = "redis"
  strategy  = "cache_aside"
  hit_ratio = 0.9
  ttl       = "60s"
  latency   = "1ms"
  replicas     = 2
  zones        = ["a", "b"]
  capacity_rps = 20000
  origin       = database.db%[1]d
}

database "db%[1]d" {
  engine       = "postgres"
  zones        = ["a", "b", "c"]
  capacity_rps = %[2]d
  latency      = "5ms"
  replication {
    mode      = "sync"
    replicas  = 2
    read_from = "replicas"
    failover  = "automatic"
  }
}

queue "q%[1]d" {
  engine     = "kafka"
  partitions = 8
  delivery   = "at_least_once"
  retention  = "7d"
  replicas   = 3
  zones      = ["a", "b", "c"]
}

service "w%[1]d" {
  image        = "ghcr.io/example/worker:1.0.0"
  replicas     = 2
  zones        = ["a", "b"]
  capacity_rps = 1000
  latency      = "10ms"
  consume {
    from       = queue.q%[1]d
    workers    = 4
    rate       = 100
    idempotent = true
  }
  call {
    to = database.db%[1]d
    op = "write"
  }
}

flow "browse_%[1]d" {
  entry = client.c%[1]d
  op    = "read"
}

flow "order_%[1]d" {
  entry = client.c%[1]d
  op    = "write"
  slo {
    availability = 0.999
    latency_p99  = "500ms"
  }
  transaction {
    mode = "outbox"
  }
}

`, i, dbCapacity)
}
