# The shop's orders database with max_connections = 4: its primary takes
# 1000 writes/s for a mean 5.0361 ms (ORACLES), 5.04 requests in flight. The
# replicas (900 rps each at 5.0005 ms, 4.5) also exceed 4, but the rule names
# the busiest.
system "shop" {}

client "web" {
  rps        = 10000
  read_ratio = 0.9
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 12
  capacity_rps = 1000
  latency      = "20ms"
  call {
    to       = cache.sessions
    op       = "read"
    required = false
  }
  call {
    to = database.orders
    op = "write"
  }
}

cache "sessions" {
  engine    = "redis"
  strategy  = "cache_aside"
  hit_ratio = 0.8
  latency   = "1ms"
  origin    = database.orders
}

database "orders" {
  engine          = "postgres"
  capacity_rps    = 2000
  latency         = "5ms"
  max_connections = 4 # want "connection-pool" "^in-flight = 1000 rps × 5.0361 ms = 5.03611 per instance of database.orders primary > max_connections 4$"
  replication {
    mode      = "async"
    replicas  = 2
    read_from = "replicas"
  }
}
