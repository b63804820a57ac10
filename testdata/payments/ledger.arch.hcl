# Downstream of the charge path: the event stream, the double-entry ledger
# and the merchants' webhooks. Nothing here is on the charge's synchronous
# path: a ledger outage delays postings, it never fails a charge.

queue "payment_events" {
  engine              = "kafka"
  tls                 = true # the events carry payment ids and amounts
  acks                = "all"
  replication_factor  = 3
  min_insync_replicas = 2 # an acknowledged event survives a broker loss (rpo 0s)
  data {
    classification    = "pii" # the charge's events carry what the charge carries
    encrypted_at_rest = true  # encrypted broker volumes
  }
  pattern      = "pub_sub" # the ledger and the webhooks each read every event
  partitions   = 48
  ordering     = "partition"    # keyed by payment id: a payment's events stay in order
  delivery     = "exactly_once" # Kafka transactions, fed by the outbox
  retention    = "30d"
  dead_letter  = queue.payment_events_dlq
  replicas     = 3
  zones        = local.zones
  capacity_rps = 50000
  latency      = "10ms"
}

queue "payment_events_dlq" {
  engine    = "kafka"
  pattern   = "point_to_point"
  delivery  = "at_least_once"
  retention = "30d"
  replicas  = 3
  zones     = local.zones
}

# Two postings (debit and credit) per event, in one transaction.
service "ledger" {
  image        = "ghcr.io/example/ledger:4.2.1"
  replicas     = 6 # 24 workers × 200 events/s = 4.8k/s for 1.4k/s; 3.2k/s with a zone lost
  zones        = local.zones
  capacity_rps = 1000
  consume {
    from       = queue.payment_events
    workers    = 4
    rate       = 200
    idempotent = true # postings are keyed by event id; a duplicate insert is a no-op
  }
  call {
    to          = database.ledger
    op          = "write"
    per_request = 2
    protocol    = "sql"
    timeout     = "500ms"
    retries     = 3
    backoff     = "100ms"
  }
}

# CockroachDB: Raft over five replicas placed 2/2/1 over the three zones, so
# any zone can fail and a majority of three remains.
database "ledger" {
  engine = "cockroachdb"
  tls    = true
  data {
    classification    = "confidential" # merchants' balances
    encrypted_at_rest = true           # CockroachDB's encryption at rest
  }
  zones        = local.zones
  capacity_rps = 6000
  latency      = "8ms"
  storage      = "4Ti"
  quorum {
    n = 5
  }
  volume {
    path = "/cockroach/cockroach-data"
    size = "4Ti"
  }
}

service "webhooks" {
  image        = "ghcr.io/example/webhooks:2.8.0"
  replicas     = 9 # 36 workers (≤ 48 partitions) × 100/s; 2.4k/s with a zone lost
  zones        = local.zones
  capacity_rps = 500
  consume {
    from       = queue.payment_events
    workers    = 4
    rate       = 100
    idempotent = true # merchants de-duplicate by event id, as the API docs require
  }
  call {
    to              = external.merchant_endpoints
    op              = "write"
    timeout         = "10s"
    retries         = 5
    backoff         = "30s"
    circuit_breaker = true
    protocol        = "http"
  }
}

external "merchant_endpoints" {
  description  = "Merchants' webhook URLs: many servers, some of them flaky."
  availability = 0.99
  latency      = "300ms"
}
