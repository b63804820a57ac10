# Every attribute the emitters map, in one design: the golden output shows
# each mapping and each emit-* finding.
system "Kitchen_Sink" {}

region "eu" {
  zones = ["eu-1", "eu-2"]
}

client "partners" {
  rps = 100
  call {
    to = load_balancer.tcp_edge
  }
}

client "browsers" {
  rps = 500
  call {
    to = gateway.api
  }
}

load_balancer "tcp_edge" {
  layer     = 4
  algorithm = "weighted"
  ports     = [443]
  health_check {
    path = "/ready"
    port = 9090
  }
  call {
    to     = service.orders
    weight = 3
  }
  call {
    to     = service.orders_next
    weight = 1
  }
}

load_balancer "internal" {
  algorithm = "ip_hash"
  call {
    to = service.orders
  }
}

gateway "api" {
  image = "envoyproxy/envoy:v1.35.3"
  ports = [8443]
  auth  = "jwt"
  rate_limit {
    algorithm = "token_bucket"
    rate      = 100
    burst     = 200
    per       = "client"
  }
  health_check {
    path     = "/healthz"
    interval = "3s"
    timeout  = "1s"
  }
  call {
    to = service.orders
  }
  call {
    to = load_balancer.internal
  }
}

service "orders" {
  image    = "registry.example.com/orders:2.3.1"
  ports    = [8080, 9090]
  replicas = 4
  zones    = ["eu-1", "eu-2"]
  labels = {
    team              = "checkout"
    "bad label!"      = "x"
  }
  env = {
    LOG_LEVEL = "info"
    PRICE     = "$5"
  }
  secrets = {
    DB_PASSWORD = "orders-db/password"
  }
  command = ["serve", "--port=8080"]
  resources {
    cpu    = "250m"
    memory = "256Mi"
  }
  autoscale {
    min                = 4
    max                = 12
    target_utilization = 0.6
  }
  rollout = "canary"
  call {
    to = database.main
  }
  call {
    to       = queue.events
    op       = "write"
    mode     = "async"
  }
  call {
    to = external.tax
  }
}

service "orders_next" {
  image = "registry.example.com/orders:2.4.0-rc1"
  ports = [8080]
  call {
    to = database.main
  }
}

service "worker" {
  image    = "registry.example.com/worker:2.3.1"
  stateful = true
  replicas = 2
  volume {
    path = "/var/lib/worker"
    size = "5Gi"
  }
  consume {
    from    = queue.events
    workers = 4
  }
  call {
    to = storage.blobs
  }
}

database "main" {
  engine  = "mysql"
  storage = "50Gi"
  replication {
    mode     = "quorum"
  }
  quorum {
    n = 3
  }
}

queue "events" {
  engine     = "kafka"
  partitions = 12
}

storage "blobs" {
  engine = "s3"
}

search "products" {
  engine = "opensearch"
  public = true
}

cache "hot" {
  engine      = "valkey"
  persistence = "aof"
  replicas    = 3
}

external "tax" {}

# A load balancer in front of another: Compose chains the two proxies;
# Kubernetes gives the outer one a Service over the pods behind the inner one.
client "mobile" {
  rps = 50
  call {
    to = load_balancer.front
  }
}

load_balancer "front" {
  algorithm = "random"
  call {
    to = load_balancer.internal
  }
}
