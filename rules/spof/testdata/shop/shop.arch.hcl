system "shop" {
  defaults {
    availability    = 0.999
    max_utilization = 0.8
  }
  slo {
    availability = 0.9995
    latency_p99  = "200ms"
    rpo          = "0s"
  }
}

region "r1" {
  zones = ["a", "b", "c"]
}

client "web" {
  rps        = 10000
  read_ratio = 0.9
  call {
    to = load_balancer.edge
  }
}

load_balancer "edge" {
  replicas  = 2
  zones     = ["a", "b"]
  algorithm = "least_connections"
  latency   = "1ms"
  health_check {
    path     = "/healthz"
    interval = "5s"
  }
  call {
    to = service.api
  }
}

service "api" {
  image        = "ghcr.io/example/shop-api:1.0.0"
  ports        = [8080]
  replicas     = 12
  zones        = ["a", "b", "c"]  # want "spof" "^losing zone .a. leaves service.api 8 of 12 instances; it needs 11 = ⌊10000 rps / 1000 rps⌋ . 1 .flows: browse, order.$" "spof" "^losing zone .b. leaves service.api 8 of 12 instances; it needs 11 = ⌊10000 rps / 1000 rps⌋ . 1 .flows: browse, order.$" "spof" "^losing zone .c. leaves service.api 8 of 12 instances; it needs 11 = ⌊10000 rps / 1000 rps⌋ . 1 .flows: browse, order.$"
  capacity_rps = 1000
  availability = 0.99
  latency      = "20ms"
  call {
    to       = cache.sessions
    op       = "read"
    required = false # on a cache failure, reads go straight to the origin
  }
  call {
    to = database.orders
    op = "write"
  }
}

cache "sessions" {  # want "spof" "^losing the only instance of cache.sessions leaves cache.sessions 0 of 1 instances, and without it .required = false. the load puts database.orders replicas at utilization = 9000 rps / .2 × 2000 rps. = 2.25 ≥ 1 .flows: browse.$"
  engine    = "redis"
  strategy  = "cache_aside"
  hit_ratio = 0.8
  ttl       = "60s"
  latency   = "1ms"
  origin    = database.orders
}

database "orders" {
  engine       = "postgres"
  capacity_rps = 2000
  availability = 0.9995
  latency      = "5ms"
  replication {  # want "spof" "^losing the primary of database.orders .failover = .manual.. leaves database.orders primary 0 of 1 instances; it needs 1 .flows: order.$"
    mode      = "async"
    replicas  = 2
    read_from = "replicas"
  }
}

flow "browse" {
  entry       = client.web
  op          = "read"
  consistency = "read_your_writes"
}

flow "order" {
  entry = client.web
  op    = "write"
}
