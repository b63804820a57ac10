# A public API protected by a distributed rate limiter (Stripe's API limits,
# Envoy's global rate limit service, the "design a rate limiter" exercise).
#
# Three limits, each where it is cheapest to enforce:
#   1. the load balancer drops floods per source IP (fixed window: one
#      counter per IP per second, no shared state);
#   2. the gateway enforces each API key's quota (sliding window: no burst at
#      a window's edge), asking a rate-limit service that keeps the counters
#      in Redis so every gateway node sees the same count;
#   3. the API service caps the total it admits (token bucket, global) below
#      what the tiers behind it carry, so overload is refused at the door
#      instead of queueing inside.
# The limiter FAILS OPEN: if it or Redis is down, requests pass unlimited (the
# global limit in the API still holds). Limits live in etcd; an operator's
# change is broadcast to every limiter over NATS.
#
# Language features shown here: rate_limit on a load balancer, a gateway and a
# service with three algorithms and three scopes, a soft dependency
# (required = false) with a circuit breaker, api_key auth, a variable used as
# a limit, a consume block on a service that also serves requests,
# at-most-once pub_sub with global ordering, and failover = "manual".
#
# Intentional findings: spof on database.orders, twice (losing its primary,
# and losing zone "a" where the primary runs): the primary fails over by hand,
# so losing it stops the api_write flow until someone promotes a replica.
# The fix is one line: replication.failover = "automatic".
# Suppressed on purpose: timeout-budget on the limiter's 3 ms Redis timeout,
# below Redis's p99: the limiter fails open, so a slow check admits the
# request instead of delaying it.
#
# Also reported: gaps that the rules added since this design was written find
# in it, not fixed here. plaintext-traffic: partners connect without TLS;
# zone-auth: the limiter and the API service take the gateway's calls with no
# authentication stated; flow-coverage: the rule update stream is on no flow.
#
# archform lint reports (a test keeps this list true):
#   error: spof
#   warning: flow-coverage, plaintext-traffic, zone-auth
#   suppressed: timeout-budget

variable "global_limit" {
  description = "Requests per second the API admits in total."
  default     = 12000
}

locals {
  zones = ["a", "b", "c"]
}

system "ratelimiter" {
  description = "Partner API with per-IP, per-key and global rate limits."
  defaults {
    availability    = 0.999
    max_utilization = 0.8
  }
  slo {
    availability = 0.999
    latency_p99  = "200ms"
  }
}

region "r1" {
  zones = local.zones
}

client "partners" {
  description = "Partners' servers calling the API with API keys."
  rps         = 8000
  read_ratio  = 0.8
  call {
    to = load_balancer.edge
  }
}

load_balancer "edge" {
  layer        = 7
  algorithm    = "round_robin"
  public       = true
  replicas     = 3
  zones        = local.zones
  capacity_rps = 50000
  latency      = "1ms"
  rate_limit {
    algorithm = "fixed_window"
    rate      = 200 # per source IP per second; partners send from a few IPs each
    per       = "ip"
  }
  call {
    to = gateway.api
  }
}

gateway "api" {
  image        = "envoyproxy/envoy:v1.31.2"
  ports        = [8443]
  auth         = "api_key"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 20000
  latency      = "1ms"
  rate_limit {
    algorithm = "sliding_window"
    rate      = 50 # per API key per second, the default plan
    burst     = 100
    per       = "client"
  }
  # Ask the limiter before forwarding. Fail open: a limiter outage must not
  # take the API down with it.
  call {
    to              = service.limiter
    required        = false
    timeout         = "5ms"
    circuit_breaker = true
    protocol        = "grpc"
  }
  call {
    to       = service.api
    timeout  = "150ms"
    protocol = "http"
  }
}

service "limiter" {
  description  = "Global rate-limit service: sliding-window counters in Redis."
  image        = "envoyproxy/ratelimit:c2e4d1b4"
  ports        = [8081]
  replicas     = 6
  zones        = local.zones
  capacity_rps = 20000
  latency      = "1ms"
  env = {
    REDIS_SOCKET_TYPE = "tcp"
    USE_STATSD        = "false"
  }
  secrets = {
    REDIS_AUTH = "ratelimit-redis/password"
  }
  # Two counter increments (this window and the previous one) per request,
  # pipelined into one round trip. The 3 ms timeout is below Redis's p99 on
  # purpose: a slow check fails open rather than slowing every request.
  call {
    to       = cache.counters
    protocol = "redis"
    timeout  = "3ms" # archform:ignore timeout-budget -- fails open by design: a timed-out check admits the request
  }
  # The limits themselves, re-read from etcd every few minutes as a safety net.
  call {
    to          = database.rules
    op          = "read"
    per_request = 0.0001
    required    = false
    protocol    = "grpc"
  }
  consume {
    from       = queue.rule_updates
    workers    = 1
    rate       = 100
    idempotent = true # applying the same rules version twice changes nothing
  }
}

# Counters are worthless after their window: no persistence, expire by ttl.
# This cache holds the only copy of what is written to it, and for counters
# that is the point: losing them resets the windows, which fails open.
cache "counters" {
  engine       = "redis"
  ttl          = "1m"
  eviction     = "ttl"
  invalidation = "ttl"
  persistence  = "none"
  replicas     = 6
  zones        = local.zones
  capacity_rps = 100000
  latency      = "1ms"
}

service "api" {
  image        = "ghcr.io/example/partner-api:4.0.2"
  ports        = [8080]
  replicas     = 24 # 8k rps: 0.33 nominal; 16k rps of capacity left with a zone lost
  zones        = local.zones
  capacity_rps = 1000
  latency      = "15ms"
  rate_limit {
    algorithm = "token_bucket"
    rate      = var.global_limit
    burst     = 2400
    per       = "global"
  }
  call {
    to       = database.orders
    protocol = "sql"
    timeout  = "100ms"
  }
}

database "orders" {
  engine          = "mariadb"
  zones           = local.zones
  capacity_rps    = 10000
  latency         = "3ms"
  availability    = 0.9995
  max_connections = 500
  replication {
    mode      = "semi_sync"
    replicas  = 2
    read_from = "replicas"
    failover  = "manual" # deliberate: see the header
  }
}

# ---------------------------------------------------------------- operators

client "ops_console" {
  rps        = 1
  read_ratio = 0.9
  trust_zone = "private" # operators, on the VPN
  call {
    to = service.admin
  }
}

service "admin" {
  image        = "ghcr.io/example/ratelimit-admin:1.3.0"
  replicas     = 2
  zones        = ["a", "b"]
  capacity_rps = 100
  call {
    to       = database.rules
    protocol = "grpc"
  }
  call {
    to   = queue.rule_updates
    op   = "write"
    mode = "async"
  }
}

database "rules" {
  engine       = "etcd"
  zones        = local.zones
  capacity_rps = 5000
  latency      = "2ms"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}

queue "rule_updates" {
  engine    = "nats"
  pattern   = "pub_sub"      # every limiter instance gets every change
  delivery  = "at_most_once" # a lost update is healed by the periodic re-read from etcd
  ordering  = "global"       # versions apply in order
  max_depth = 10000
  replicas  = 3
  zones     = local.zones
}

flow "api_read" {
  entry = client.partners
  op    = "read"
  rps   = 6400
  slo {
    latency_p99 = "100ms"
  }
}

flow "api_write" {
  entry = client.partners
  op    = "write"
  rps   = 1600
}

flow "change_limits" {
  entry       = client.ops_console
  consistency = "sequential" # every limiter sees limit changes in the same order
  partition   = "consistent"
  transaction {
    mode = "outbox" # a rule change and its update message commit together
  }
}
