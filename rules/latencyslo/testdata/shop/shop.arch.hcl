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
  zones        = ["a", "b", "c"]
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

cache "sessions" {
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
  replication {
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
