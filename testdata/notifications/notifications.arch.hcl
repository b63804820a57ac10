# A notification system (the "design a notification system" exercise): other
# services ask for a push notification, an SMS or an e-mail to be sent; the
# system checks the user's preferences, renders the template, and delivers
# through Apple's and Google's push services, an SMS provider and SMTP.
#
#   producers → ingest API → log (accepted) → requests queue → router
#     → one queue per channel (push, sms, email), each with a dead-letter queue
#     → channel workers → APNs / FCM / Twilio / SMTP
#     → status events (pub_sub) → tracker (delivery log) and analytics
#
# Per-channel queues isolate the channels: a slow SMS provider backs up the
# sms queue only, while pushes keep flowing. The third parties are declared in
# providers.arch.json: a design can mix HCL and JSON files.
#
# Language features shown here: *.arch.json, pub_sub and point_to_point
# queues, dead_letter, consume blocks on several workers, partitions capping
# workers, a write_through cache, a leaky-bucket rate limit pacing an outbound
# provider, a weak quorum used for a log that only needs eventual reads,
# MinIO object storage with a volume, and a flow with partition = "available".
#
# Intentional finding: idempotency on service.sms_worker. The SQS queue
# delivers at least once and an SMS cannot be un-sent: a worker that crashes
# after Twilio accepted a message but before deleting it from the queue sends
# it again. The team accepts a rare duplicate over a lost one-time code.
# Also reported, as information: the router's and the tracker's workers
# outnumber their queues' partitions (72 > 64, 48 > 32). The spare workers are
# headroom for a partition increase, and they cost nothing while idle.
#
# Also reported: gaps that the rules added since this design was written find
# in it, not fixed here. consistency (error): the preferences flow needs
# read_your_writes, and MongoDB's primary with readConcern local and w: 1
# gives eventual reads only; plaintext-traffic, public-auth, public-rate-limit
# and zone-auth: the producers and the app reach the ingest gateway and the
# preferences API with no TLS, rate limit or authentication stated;
# queue-wiring: nothing consumes the failed queue; flow-coverage: the delivery
# pipeline is behind queues, on no flow.
#
# archform lint reports (a test keeps this list true):
#   error: consistency
#   warning: flow-coverage, idempotency, plaintext-traffic, public-auth, public-rate-limit, queue-wiring, zone-auth
#   info: queue-capacity

locals {
  zones = ["use2-a", "use2-b", "use2-c"]
}

system "notifications" {
  description = "Push, SMS and e-mail notifications with preferences and delivery tracking."
  defaults {
    availability    = 0.999
    max_utilization = 0.8
  }
  slo {
    availability = 0.999
    latency_p99  = "200ms"
  }
}

region "us-east-2" {
  zones = local.zones
}

client "producers" {
  description = "Internal services: send requests (writes) and status look-ups (reads)."
  rps         = 20000
  read_ratio  = 0.1
  call {
    to = gateway.ingest
  }
}

gateway "ingest" {
  image        = "kong:3.8.0"
  ports        = [8000]
  auth         = "jwt" # service-to-service tokens
  replicas     = 3
  zones        = local.zones
  capacity_rps = 20000
  latency      = "1ms"
  call {
    to = service.ingest
  }
}

# Validates the request, records it as accepted, enqueues it, answers 202.
service "ingest" {
  image        = "ghcr.io/example/notify-ingest:6.1.0"
  ports        = [8080]
  replicas     = 15 # 20k rps: 0.44 nominal, 0.67 with a zone lost
  zones        = local.zones
  capacity_rps = 3000
  latency      = "4ms"
  call {
    to       = database.log
    protocol = "tcp"
    timeout  = "50ms"
  }
  call {
    to       = queue.requests
    op       = "write"
    mode     = "async"
    protocol = "pulsar"
  }
}

queue "requests" {
  engine       = "pulsar"
  pattern      = "point_to_point" # a shared subscription: each request to one router
  partitions   = 64
  delivery     = "at_least_once"
  ordering     = "none"
  retention    = "1d"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 100000
  latency      = "5ms"
}

# Checks preferences (opt-outs, quiet hours), renders the template and
# routes to the channel queue.
service "router" {
  image        = "ghcr.io/example/notify-router:6.1.0"
  replicas     = 9 # 72 workers, 64 busy at most (partitions): 32k/s for 18k/s
  zones        = local.zones
  capacity_rps = 4000
  consume {
    from       = queue.requests
    workers    = 8
    rate       = 500
    idempotent = true # de-duplicated on the request's notification id
  }
  call {
    to       = cache.prefs
    op       = "read"
    protocol = "redis"
    timeout  = "10ms"
  }
  call {
    to          = storage.templates
    op          = "read"
    per_request = 0.01 # templates are cached in memory for a minute
  }
  call {
    to          = queue.push
    op          = "write"
    per_request = 0.7
    mode        = "async"
  }
  call {
    to          = queue.sms
    op          = "write"
    per_request = 0.05
    mode        = "async"
  }
  call {
    to          = queue.email
    op          = "write"
    per_request = 0.25
    mode        = "async"
  }
}

# User preferences: written through the cache, so the next notification sees
# an opt-out immediately.
cache "prefs" {
  engine       = "redis"
  strategy     = "write_through"
  hit_ratio    = 0.95
  ttl          = "1h"
  eviction     = "lru"
  invalidation = "explicit"
  persistence  = "none"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 100000
  latency      = "1ms"
  origin       = database.prefs
}

# Sized to serve every preference read if the cache is down (18k/s: 0.6).
database "prefs" {
  engine       = "mongodb"
  model        = "document"
  zones        = local.zones
  capacity_rps = 30000
  latency      = "3ms"
  replication {
    mode      = "async"
    replicas  = 2
    read_from = "primary"
    failover  = "automatic"
  }
}

# Who was notified of what, and what happened to it. Written twice per
# notification (accepted, then delivered or failed), read by id for status.
# One replica acknowledges each write and each read asks one: eventual, which
# is all a delivery log needs, and it keeps accepting writes in a partition.
database "log" {
  engine       = "cassandra"
  zones        = local.zones
  shards       = 6
  shard_key    = "notification_id"
  shard_skew   = 1.1
  capacity_rps = 15000
  latency      = "3ms"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 1
    w = 1
  }
}

storage "templates" {
  engine       = "minio"
  image        = "minio/minio:RELEASE.2025-09-07T16-13-09Z"
  command      = ["server", "/data", "--console-address", ":9001"]
  ports        = [9000, 9001]
  replicas     = 4 # erasure coding needs at least four drives
  zones        = local.zones
  capacity_rps = 5000
  secrets = {
    MINIO_ROOT_PASSWORD = "minio/root-password"
  }
  volume {
    path = "/data"
    size = "500Gi"
  }
}

# ---------------------------------------------------------------- channels

queue "push" {
  engine      = "sqs"
  pattern     = "point_to_point"
  delivery    = "at_least_once"
  retention   = "4d"
  max_depth   = 10000000
  dead_letter = queue.failed
}

queue "sms" {
  engine      = "sqs"
  pattern     = "point_to_point"
  delivery    = "at_least_once"
  retention   = "4d"
  max_depth   = 10000000
  dead_letter = queue.failed
}

queue "email" {
  engine      = "sqs"
  pattern     = "point_to_point"
  delivery    = "at_least_once"
  retention   = "4d"
  max_depth   = 10000000
  dead_letter = queue.failed
}

# Messages that failed five deliveries; an operator inspects and redrives them.
queue "failed" {
  engine    = "sqs"
  pattern   = "point_to_point"
  delivery  = "at_least_once"
  retention = "14d"
}

service "push_worker" {
  image        = "ghcr.io/example/notify-push:6.1.0"
  replicas     = 6 # 12.6k pushes/s: 48 workers × 500/s; 16k/s with a zone lost
  zones        = local.zones
  capacity_rps = 5000
  consume {
    from       = queue.push
    workers    = 8
    rate       = 500 # HTTP/2 multiplexing to APNs and FCM
    idempotent = true
  }
  call {
    to              = external.apns
    op              = "write"
    per_request     = 0.45
    timeout         = "3s"
    retries         = 2
    backoff         = "500ms"
    circuit_breaker = true
    protocol        = "http"
  }
  call {
    to              = external.fcm
    op              = "write"
    per_request     = 0.55
    timeout         = "3s"
    retries         = 2
    backoff         = "500ms"
    circuit_breaker = true
    protocol        = "http"
  }
  call {
    to   = queue.status
    op   = "write"
    mode = "async"
  }
}

service "sms_worker" {
  image        = "ghcr.io/example/notify-sms:6.1.0"
  replicas     = 9 # 900 SMS/s: 36 workers × 50/s; 1.2k/s with a zone lost
  zones        = local.zones
  capacity_rps = 200
  # The provider contract allows 1,000 messages/s: pace the outflow evenly.
  rate_limit {
    algorithm = "leaky_bucket"
    rate      = 1000
    per       = "global"
  }
  consume {
    from       = queue.sms
    workers    = 4
    rate       = 50
    idempotent = false # see the header: duplicates are accepted
  }
  call {
    to              = external.twilio
    op              = "write"
    timeout         = "5s"
    retries         = 2
    backoff         = "1s"
    circuit_breaker = true
    protocol        = "http"
  }
  call {
    to   = queue.status
    op   = "write"
    mode = "async"
  }
}

service "email_worker" {
  image        = "ghcr.io/example/notify-email:6.1.0"
  replicas     = 9 # 4.5k e-mails/s: 90 workers × 100/s; 6k/s with a zone lost
  zones        = local.zones
  capacity_rps = 1000
  env = {
    SMTP_POOL_SIZE = "20"
  }
  secrets = {
    SMTP_PASSWORD = "ses-smtp/password"
  }
  consume {
    from       = queue.email
    workers    = 10
    rate       = 100
    idempotent = true # a stable Message-ID lets the provider drop duplicates
  }
  call {
    to       = external.smtp
    op       = "write"
    timeout  = "10s"
    retries  = 3
    backoff  = "2s"
    protocol = "smtp"
  }
  call {
    to   = queue.status
    op   = "write"
    mode = "async"
  }
}

# ---------------------------------------------------------------- tracking

queue "status" {
  engine       = "pulsar"
  pattern      = "pub_sub" # the tracker and analytics each see every event
  partitions   = 32
  delivery     = "at_least_once"
  ordering     = "partition"
  retention    = "7d"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 100000
}

service "tracker" {
  image        = "ghcr.io/example/notify-tracker:6.1.0"
  replicas     = 6
  zones        = local.zones
  capacity_rps = 6000
  consume {
    from       = queue.status
    workers    = 8
    rate       = 1000
    idempotent = true # status updates are upserts keyed by notification id
  }
  call {
    to       = database.log
    op       = "write"
    protocol = "tcp"
  }
}

service "analytics" {
  image        = "ghcr.io/example/notify-analytics:6.1.0"
  replicas     = 6
  zones        = local.zones
  capacity_rps = 6000
  consume {
    from       = queue.status
    workers    = 4
    rate       = 2000
    idempotent = true
  }
  call {
    to          = storage.archive
    op          = "write"
    per_request = 0.001
  }
}

storage "archive" {
  engine       = "s3"
  availability = 0.9999
}

# ---------------------------------------------------------------- preferences

client "app_users" {
  description = "Users changing their notification settings in the app."
  rps         = 300
  read_ratio  = 0.7
  call {
    to = service.prefs_api
  }
}

service "prefs_api" {
  image        = "ghcr.io/example/notify-prefs:6.1.0"
  ports        = [8080]
  replicas     = 3
  zones        = local.zones
  capacity_rps = 1000
  latency      = "5ms"
  call {
    to       = cache.prefs
    protocol = "redis"
  }
}

# ---------------------------------------------------------------- flows

flow "send" {
  entry     = client.producers
  op        = "write"
  rps       = 18000
  partition = "available" # accept and queue notifications on both sides of a partition
  slo {
    availability = 0.9995
    latency_p99  = "100ms"
  }
  transaction {
    mode = "outbox" # the log row and the request commit together; a relay publishes the request
  }
}

flow "status" {
  entry       = client.producers
  op          = "read"
  rps         = 2000
  consistency = "eventual"
  partition   = "available"
}

flow "preferences" {
  entry       = client.app_users
  consistency = "read_your_writes" # a user who turned notifications off sees them off
}
