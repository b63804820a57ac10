# A payment system (Stripe-like): merchants' servers create charges; the
# system authorizes them with a card processor and records them in a
# double-entry ledger. Two files: this one holds the synchronous charge path,
# ledger.arch.hcl everything downstream of the event stream.
#
# What makes payments different from the other examples is that no write may
# ever be lost or applied twice:
#   - every charge carries an idempotency key, stored in the same PostgreSQL
#     transaction as the charge, so a merchant's retry returns the first
#     result instead of charging the card again;
#   - PostgreSQL replicates synchronously (rpo 0s) and fails over
#     automatically: an acknowledged charge survives the loss of the primary;
#   - the card processor is called with its own idempotency key; when it
#     fails, the charge is routed to a second processor (fallback);
#   - the charge's events leave through a transactional outbox into Kafka
#     with exactly-once delivery, and the ledger and webhook consumers are
#     idempotent anyway.
#
# Security (card data is PCI DSS scope): the charge flow carries personal
# data (classification "pii") and the payment database keeps it, encrypted at
# rest; every hop the data takes is TLS (tls on the stores and services that
# accept only TLS; the externals are HTTPS by default). The internet reaches
# the dmz only (load_balancer.edge, gateway.api); merchants authenticate with
# client certificates at the gateway (mtls), and the private services take
# only the mesh's workload certificates (mtls) from their callers.
#
# Language features shown here: a multi-file design, a trace collector bought
# as a service (role "tracing"), mtls auth, trust zones,
# TLS and data classification, linearizable flows with partition =
# "consistent" and rpo = "0s", sync replication with automatic failover, a
# fallback between two externals, timeouts and retries sized to the SLO,
# exactly-once pub_sub with a dead-letter queue, a CockroachDB ledger with a
# 5-member quorum, secrets as references, a worker pool with a bulkhead on
# the slow processor's call, a rolling update paced by max_unavailable and
# max_surge.
#
# Intentional findings (archform lint testdata/payments):
#   - data-protection (warning): cache.risk_features keeps confidential
#     device and card features in Redis snapshots that are not encrypted at
#     rest. Kept on purpose: the features are keyed by salted hashes, and the
#     example shows the rule finding the one store on the charge path that
#     stores classified data in the clear.
#   - queue-wiring (warning): nothing consumes the dead-letter queue
#     payment_events_dlq; the team replays it by hand, which the design does
#     not model.
#   - flow-coverage (warning): the ledger, webhooks and the event stream are
#     downstream of the queue, on no flow; their failures are not checked.
#
# archform lint reports (a test keeps this list true):
#   warning: data-protection, flow-coverage, queue-wiring

locals {
  zones = ["euw1-a", "euw1-b", "euw1-c"]
}

system "payments" {
  description = "Card payments with idempotent charges and a double-entry ledger."
  defaults {
    availability    = 0.999
    max_utilization = 0.7 # payments keep more headroom than the language default
  }
  slo {
    availability = 0.9995
    latency_p99  = "2s" # a card authorization takes 350 ms on average, over 1.5 s at the 99th percentile
    rpo          = "0s"
  }
}

region "eu-west-1" {
  zones = local.zones
}

client "merchants" {
  description = "Merchants' servers: create charges (writes), poll their status (reads)."
  rps         = 2000
  read_ratio  = 0.3
  call {
    to = load_balancer.edge
  }
}

load_balancer "edge" {
  trust_zone   = "dmz" # what the internet reaches (the default for a load balancer)
  layer        = 7
  algorithm    = "least_connections"
  public       = true
  tls          = true # HTTPS only: merchants' servers connect over the internet
  replicas     = 3
  zones        = local.zones
  capacity_rps = 20000
  latency      = "1ms"
  health_check {
    path     = "/healthz"
    interval = "2s"
    timeout  = "1s"
  }
  call {
    to = gateway.api
  }
}

gateway "api" {
  image        = "envoyproxy/envoy:v1.31.2"
  ports        = [8443]
  auth         = "mtls" # merchants' servers present client certificates
  tls          = true
  replicas     = 3
  zones        = local.zones
  capacity_rps = 10000
  latency      = "2ms"
  rate_limit {
    algorithm = "token_bucket"
    rate      = 100
    burst     = 200
    per       = "client"
  }
  call {
    to = service.payments
  }
}

service "payments" {
  image        = "ghcr.io/example/payments:9.12.0"
  ports        = [8443]
  auth         = "mtls" # the mesh's workload certificates: only the gateway may call
  tls          = true
  trust_zone   = "private"
  replicas     = 15 # 2k rps: 0.44 nominal, 0.67 with a zone lost
  zones        = local.zones
  capacity_rps = 300
  latency      = "40ms"
  concurrency  = 64           # request threads per instance; a call to a processor holds one for its 350 ms
  rollout      = "blue_green" # switch all at once, switch back at once
  labels = {
    pci = "in-scope"
  }
  secrets = {
    DATABASE_URL   = "payments-db/url"
    STRIPE_API_KEY = "psp-stripe/api-key"
    ADYEN_API_KEY  = "psp-adyen/api-key"
  }
  resources {
    cpu    = "2"
    memory = "2Gi"
  }
  health_check {
    path                = "/healthz"
    port                = 8443
    interval            = "5s"
    timeout             = "2s"
    unhealthy_threshold = 2
  }
  # Charges, idempotency keys and status reads, all on the primary.
  call {
    to          = database.payments
    protocol    = "sql"
    timeout     = "200ms"
    consistency = "linearizable" # the idempotency check must see every earlier attempt
  }
  # Fraud scoring. If it is down, charges fall back to rule-based checks.
  call {
    to       = service.risk
    op       = "write"
    required = false
    timeout  = "100ms"
    protocol = "grpc"
  }
  # Authorize the card. One retry at most: the processor call carries our
  # idempotency key, so a retry after a timeout cannot charge twice.
  call {
    description     = "Card authorization and capture."
    to              = external.stripe
    op              = "write"
    timeout         = "2s"
    retries         = 1
    backoff         = "100ms"
    circuit_breaker = true
    fallback        = external.adyen
    protocol        = "http"
    # Little's law: 93 charges/s per instance × 350 ms = 33 threads wait on
    # Stripe. When it slows to the 2 s timeout they would be 93 × 2 tries ×
    # 2 s = 373, every thread of the pool, and status reads would starve:
    # the bulkhead keeps 16 threads for the rest (rule bulkhead).
    bulkhead = 48
  }
  # charge.succeeded / charge.failed events, through the outbox.
  call {
    to       = queue.payment_events
    op       = "write"
    mode     = "async"
    protocol = "kafka"
  }
}

database "payments" {
  engine = "postgres"
  tls    = true # hostssl only: the card data never crosses the network in the clear
  data {
    classification    = "pii" # cardholder names, card fingerprints, billing addresses
    encrypted_at_rest = true  # encrypted volumes (the provider's KMS)
  }
  zones           = local.zones
  capacity_rps    = 5000
  latency         = "3ms"
  availability    = 0.9995
  max_connections = 400
  storage         = "2Ti"
  partition_mode  = "consistent"
  replication {
    mode      = "sync" # commit waits for both replicas: rpo 0s
    replicas  = 2
    read_from = "primary"
    failover  = "automatic"
  }
  secrets = {
    POSTGRES_PASSWORD = "payments-db/password"
  }
  volume {
    path = "/var/lib/postgresql/data"
    size = "2Ti"
  }
}

service "risk" {
  image        = "ghcr.io/example/risk:3.0.7"
  ports        = [8443]
  tls          = true
  auth         = "mtls"
  replicas     = 9 # 1.4k charges/s: 0.31 nominal, 0.47 with a zone lost
  zones        = local.zones
  capacity_rps = 500
  latency      = "20ms"
  deploy {
    strategy        = "rolling"
    max_unavailable = 2 # 7 left: 0.4; with a zone lost 6 − 2 = 4: 0.7 (rule deploy-capacity)
    max_surge       = 1
  }
  call {
    to       = cache.risk_features
    protocol = "redis"
    timeout  = "10ms"
  }
}

# Card and device features, recomputed by a batch job every hour. Each run
# writes a new version of every key and then flips the "current version"
# pointer, so a reader never mixes two runs.
cache "risk_features" {
  engine = "redis"
  tls    = true # Redis' TLS port only
  data {
    classification = "confidential" # not encrypted at rest: the intentional data-protection finding above
  }
  ttl          = "1h"
  invalidation = "versioned"
  eviction     = "lru"
  persistence  = "snapshot"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 100000
  latency      = "1ms"
}

external "stripe" {
  description  = "Primary card processor."
  availability = 0.9999
  latency      = "350ms"
  capacity_rps = 2500 # the account's negotiated API rate limit: a third party's limit is a capacity
}

external "adyen" {
  description  = "Secondary card processor, used when the primary fails."
  availability = 0.9995
  latency      = "400ms"
  capacity_rps = 2500
}

flow "charge" {
  entry = client.merchants
  op    = "write"
  data {
    classification = "pii" # the card and the cardholder travel with every charge
  }
  rps         = 1400
  consistency = "linearizable"
  partition   = "consistent" # refuse a charge rather than risk a double charge
  slo {
    availability = 0.9995
    latency_p99  = "2s"
    rpo          = "0s"
  }
  transaction {
    mode = "outbox" # the charge and its events commit in one PostgreSQL transaction; a relay publishes them to Kafka
  }
}

flow "status" {
  entry       = client.merchants
  op          = "read"
  rps         = 600
  consistency = "causal" # a merchant that saw "captured" never sees "pending" again
  partition   = "consistent"
  slo {
    latency_p99 = "200ms"
  }
}

external "honeycomb" {
  description = "Trace collector, bought: the services send their spans here, so a charge can be followed across the gateway, payments, risk and the processors."
  role        = "tracing"
}
