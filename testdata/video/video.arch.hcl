# Video streaming (YouTube, Netflix): a CDN in front of object storage for
# playback, a metadata API, and an upload pipeline that transcodes every video
# into a ladder of renditions on a fleet of batch workers.
#
# Three kinds of traffic with nothing in common but the metadata database:
#   - playback: 1M concurrent viewers fetching a 4-second segment each = 250k
#     segment requests/s, 97% served by the CDN;
#   - the API: watch pages (reads) and view counters (writes);
#   - uploads: 0.5 new videos per second in 8 MiB chunks, then transcoding.
#
# Language features shown here: cdn with hit_ratio and ttl, object storage,
# a weighted load balancer running a canary, a write_back cache with
# flush_interval and aof persistence, a sharded MySQL with shard_skew,
# semi-sync replication and an active-passive second region, a work queue
# with a dead-letter queue, a batch consumer with resources and autoscale,
# and a suppression comment with its reason.
#
# Intentional findings:
#   - spof for region "us-east" (error): every tier runs in us-east; eu-west
#     holds only a standby of the metadata database for disaster recovery,
#     promoted by hand (hours, not seconds). archform is right that losing
#     us-east stops every flow; running the stateless tiers in eu-west too is
#     the fix, at twice the cost.
#   - spof on cdn.edge is suppressed below, with its reason: a managed CDN is
#     one vendor, which the design accepts.
#   - queue-wiring: queue.transcode_dlq has no consumer on purpose: operators
#     replay it by hand.
#
# Also reported: gaps that the rules added since this design was written find
# in it, not fixed here. durability (error): the metadata database's semi-sync
# replication falls back to async under automatic failover, and the upload
# flow has rpo = "0s"; plaintext-traffic, public-auth, public-rate-limit and
# zone-auth: viewers, creators and the app connect without TLS, and the API
# and the upload service state no authentication or rate limit;
# flow-coverage: transcoding is behind a queue, on no flow.
# multi-region-placement is suppressed below, with its reason.
#
# archform lint reports (a test keeps this list true):
#   error: durability, spof
#   warning: flow-coverage, plaintext-traffic, public-auth, public-rate-limit, queue-wiring, zone-auth
#   suppressed: multi-region-placement, spof

locals {
  zones = ["use1-a", "use1-b", "use1-c"]
}

system "video" {
  description = "Upload, transcode and stream videos."
  defaults {
    availability    = 0.999
    max_utilization = 0.8
  }
  slo {
    availability = 0.999
    latency_p99  = "300ms"
  }
}

region "us-east" {
  zones = local.zones
}

region "eu-west" {
  description = "Standby region for the metadata database (active-passive disaster recovery)."
  zones       = ["euw1-a", "euw1-b", "euw1-c"]
}

# ---------------------------------------------------------------- playback

client "viewers" {
  description = "Video players fetching HLS/DASH segments."
  rps         = 250000
  call {
    to = cdn.edge
  }
}

# archform:ignore spof -- one CDN vendor whose hundreds of PoPs fail independently; its SLA is the availability below. A second vendor behind weighted DNS is on the roadmap.
cdn "edge" {
  hit_ratio    = 0.97 # segments of popular videos; the long tail misses
  ttl          = "7d" # segments are immutable: a new encode gets new URLs
  availability = 0.9999
  latency      = "15ms"
  capacity_rps = 1000000 # the contracted burst capacity; 250k/s is 0.25 of it
  call {
    to = storage.renditions
    op = "read"
  }
}

storage "renditions" {
  engine       = "s3"
  replicas     = 3 # S3 stores every object in three zones
  zones        = local.zones
  capacity_rps = 10000 # per zone's share of the bucket's prefixes; the CDN misses are 7.5k/s
  availability = 0.9999
  latency      = "20ms"
  tls          = true # the CDN fetches from the bucket over HTTPS
  data {
    classification = "public" # the renditions are what the CDN serves to every viewer
  }
}

# ---------------------------------------------------------------- metadata API

client "app" {
  description = "Watch pages (reads) and view-count heartbeats (writes)."
  rps         = 40000
  read_ratio  = 0.75
  call {
    to = load_balancer.api
  }
}

# 5% of the traffic goes to the canary of the next catalog release; the
# rollout tool raises the weight step by step while the error rate holds.
load_balancer "api" {
  layer        = 7
  algorithm    = "weighted"
  public       = true
  replicas     = 3
  zones        = local.zones
  capacity_rps = 60000
  latency      = "1ms"
  health_check {
    path     = "/ready"
    interval = "2s"
    timeout  = "1s"
  }
  call {
    to     = service.catalog
    weight = 95
  }
  call {
    to     = service.catalog_canary
    weight = 5
  }
}

service "catalog" {
  image        = "ghcr.io/example/catalog:7.4.0"
  ports        = [8080]
  replicas     = 30 # 38k rps: 0.51 nominal, 0.76 with a zone lost
  zones        = local.zones
  capacity_rps = 2500
  latency      = "10ms"
  rollout      = "rolling"
  call {
    to       = cache.video_meta
    op       = "read"
    required = false # the database is sized to serve every read with the cache down
    timeout  = "20ms"
  }
  call {
    to       = cache.view_counts
    op       = "write"
    required = false # a lost view ping is a counter off by one
    timeout  = "20ms"
  }
}

service "catalog_canary" {
  image        = "ghcr.io/example/catalog:7.5.0-rc.2"
  ports        = [8080]
  replicas     = 3
  zones        = local.zones
  capacity_rps = 2500
  latency      = "10ms"
  rollout      = "canary"
  labels = {
    track = "canary"
  }
  call {
    to       = cache.video_meta
    op       = "read"
    required = false
    timeout  = "20ms"
  }
  call {
    to       = cache.view_counts
    op       = "write"
    required = false
    timeout  = "20ms"
  }
}

cache "video_meta" {
  engine       = "valkey"
  strategy     = "cache_aside"
  hit_ratio    = 0.95
  ttl          = "5m"
  eviction     = "lfu"
  invalidation = "explicit" # the upload pipeline deletes the key when a video changes
  replicas     = 3
  zones        = local.zones
  capacity_rps = 100000
  latency      = "1ms"
  origin       = database.metadata
}

# View counts are incremented in Redis and flushed to MySQL every 10 seconds:
# MySQL sees one write per video per flush instead of one per view. With AOF
# persistence a Redis restart loses at most a second of increments; losing
# the node loses at most one flush interval, inside the 1-minute RPO of the
# record_view flow.
cache "view_counts" {
  engine         = "redis"
  strategy       = "write_back"
  flush_interval = "10s"
  persistence    = "aof"
  eviction       = "lru"
  replicas       = 3
  zones          = local.zones
  capacity_rps   = 100000
  latency        = "1ms"
  origin         = database.metadata
}

database "metadata" {
  engine          = "mysql"
  zones           = local.zones
  shards          = 4 # Vitess keyspace sharded by video id
  shard_key       = "video_id"
  shard_skew      = 1.5 # a viral video keeps its shard hotter than the mean
  capacity_rps    = 8000
  latency         = "3ms"
  max_connections = 2000
  storage         = "2Ti"
  replication {
    mode      = "semi_sync" # a write is acknowledged once one replica has it
    replicas  = 2
    read_from = "replicas"
    failover  = "automatic"
  }
  # archform:ignore multi-region-placement -- the eu-west standby is restored from backups by the DR runbook; this design models us-east only
  multi_region {
    mode     = "active_passive"
    regions  = ["us-east", "eu-west"]
    conflict = "none" # one writable region at a time: nothing to resolve
  }
  secrets = {
    MYSQL_ROOT_PASSWORD = "metadata-db/root-password"
  }
  volume {
    path = "/var/lib/mysql"
    size = "2Ti"
  }
}

# ---------------------------------------------------------------- uploads

client "creators" {
  description = "Resumable uploads: 0.5 videos/s in ~100 chunks of 8 MiB."
  rps         = 50
  read_ratio  = 0
  call {
    to = gateway.upload
  }
}

gateway "upload" {
  image        = "kong:3.8.0"
  ports        = [8443]
  auth         = "oauth2"
  public       = true
  replicas     = 3
  zones        = local.zones
  capacity_rps = 5000
  latency      = "2ms"
  rate_limit {
    algorithm = "token_bucket"
    rate      = 20 # chunks per second per creator
    burst     = 100
    per       = "client"
  }
  call {
    to = service.upload
  }
}

service "upload" {
  image        = "ghcr.io/example/upload:3.1.0"
  ports        = [8080]
  replicas     = 6
  zones        = local.zones
  capacity_rps = 200
  latency      = "150ms" # receiving and storing an 8 MiB chunk
  call {
    to      = storage.raw
    op      = "write"
    timeout = "2s"
    retries = 2
    backoff = "200ms"
  }
  # The last chunk of a video (1 in 100) creates its row and its transcode job.
  call {
    to          = database.metadata
    op          = "write"
    per_request = 0.01
  }
  call {
    to          = queue.transcode
    op          = "write"
    per_request = 0.01
    mode        = "async"
    protocol    = "amqp"
  }
}

storage "raw" {
  engine       = "s3"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 3500
  availability = 0.9999
  latency      = "30ms"
}

queue "transcode" {
  engine       = "rabbitmq"
  pattern      = "point_to_point"
  delivery     = "at_least_once"
  ordering     = "none"
  retention    = "3d"
  max_depth    = 100000
  dead_letter  = queue.transcode_dlq # a job that fails three times is parked here
  replicas     = 3                   # a quorum queue over three nodes
  zones        = local.zones
  capacity_rps = 20000
}

queue "transcode_dlq" {
  engine    = "rabbitmq"
  pattern   = "point_to_point"
  delivery  = "at_least_once"
  retention = "14d"
  replicas  = 3
  zones     = local.zones
}

# One job = one source video into six renditions (240p to 4K), ~200 s on 8
# cores. 0.5 jobs/s need 100 busy workers; 192 keep 128 after a zone is lost.
service "transcoder" {
  image        = "ghcr.io/example/transcoder:1.9.3"
  command      = ["transcode", "--ladder=240,360,480,720,1080,2160", "--codec=av1"]
  replicas     = 192
  zones        = local.zones
  capacity_rps = 0.005
  latency      = "200s"
  resources {
    cpu    = "8"
    memory = "16Gi"
  }
  autoscale {
    min                = 150
    max                = 480
    target_utilization = 0.6
  }
  consume {
    from       = queue.transcode
    workers    = 1
    rate       = 0.005
    idempotent = true # output object keys are derived from the job: a retry overwrites them
  }
  call {
    to = storage.raw
    op = "read"
  }
  call {
    to          = storage.renditions
    op          = "write"
    per_request = 6
  }
  call {
    to = database.metadata
    op = "write"
  }
}

# ---------------------------------------------------------------- flows

flow "watch" {
  entry       = client.viewers
  op          = "read"
  consistency = "eventual"
  partition   = "available"
  slo {
    availability = 0.9995
    latency_p99  = "100ms"
  }
}

flow "watch_page" {
  description = "Opening a video's page: title, description, thumbnails, counts."
  entry       = client.app
  op          = "read"
  rps         = 30000
  consistency = "eventual" # titles and thumbnails may lag an edit by minutes
  slo {
    latency_p99 = "150ms"
  }
}

flow "record_view" {
  entry = client.app
  op    = "write"
  rps   = 10000
  slo {
    availability = 0.99
    rpo          = "1m"
  }
}

flow "upload" {
  entry = client.creators
  op    = "write"
  slo {
    availability = 0.999
    latency_p99  = "2s"
    rpo          = "0s" # an acknowledged chunk is in S3
  }
  # A saga: the chunks are in S3 before the row and the job exist. When a
  # later step fails, the upload service deletes what the earlier ones made.
  transaction {
    mode = "saga"
    compensate {
      write = storage.raw
      with  = service.upload # deletes the uploaded chunks
    }
    compensate {
      write = database.metadata
      with  = service.upload # marks the video failed
    }
    compensate {
      write = queue.transcode
      with  = service.transcoder # skips a job whose video is marked failed
    }
  }
}
