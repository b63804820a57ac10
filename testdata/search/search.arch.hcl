# A web search engine: a crawler that fetches pages politely, an indexer that
# turns them into an inverted index, and a serving path that answers queries
# from a sharded, replicated Elasticsearch cluster behind a results cache.
#
# Serving (the only user-facing flow):
#   searchers → load balancer → public gateway → query service
#     → results cache (read-through) → index cluster (30 shards × 3 copies)
# Crawling and indexing (batch, behind queues, off the query's path):
#   recrawl scheduler → frontier → fetch queue (keyed by host) → crawlers
#     → the web, page store, crawl state → index queue → indexers → index
#
# Language features shown here: a search component with shards, a
# read-through cache with versioned invalidation, ip_hash load balancing, a
# gateway with auth = "none" and a per-IP limit, bounded_staleness with
# max_staleness on a flow, a client that is a scheduler rather than people,
# an external that is "the web", command and env on a worker, a dead-letter
# queue, and a database with replication "none" and failover "none".
#
# Intentional findings: public-auth (info), for the public gateway's
# auth = "none": search is open to everyone. Note database.crawl_state: a single
# PostgreSQL instance with no replica, on purpose. It is on no user flow (the
# scheduler is a client with no flow), so spof, which checks what flows need,
# does not report it: losing it pauses crawling until it is restored from
# backup, and the fetch queue's two days of retention absorb that. Declare a
# flow from client.scheduler and spof will report it.
#
# Also reported: gaps that the rules added since this design was written find
# in it, not fixed here. cap-conflict (error): the query flow's
# bounded_staleness (15m) cannot hold under partition = "available", where a
# partitioned side serves data of any age; plaintext-traffic and zone-auth:
# no TLS from the searchers, no authentication from the gateway to the query
# service; queue-wiring: nothing consumes the index dead-letter queue;
# flow-coverage: crawling and indexing are on no flow.
#
# archform lint reports (a test keeps this list true):
#   error: cap-conflict
#   warning: flow-coverage, plaintext-traffic, queue-wiring, zone-auth
#   info: public-auth

locals {
  zones = ["usc1-a", "usc1-b", "usc1-c"]
}

system "search" {
  description = "Crawl, index and serve web search."
  defaults {
    availability    = 0.999
    max_utilization = 0.8
  }
  slo {
    availability = 0.999
    latency_p99  = "300ms"
  }
}

region "us-central" {
  zones = local.zones
}

# ---------------------------------------------------------------- serving

client "searchers" {
  rps = 50000
  call {
    to = load_balancer.edge
  }
}

# ip_hash keeps a user on the same front end, whose in-process spelling and
# personalization caches then stay warm for that user's next query.
load_balancer "edge" {
  layer        = 7
  algorithm    = "ip_hash"
  public       = true
  replicas     = 3
  zones        = local.zones
  capacity_rps = 100000
  latency      = "1ms"
  call {
    to = gateway.public
  }
}

gateway "public" {
  image        = "envoyproxy/envoy:v1.31.2"
  ports        = [8080]
  auth         = "none" # anyone may search
  replicas     = 6
  zones        = local.zones
  capacity_rps = 30000
  latency      = "1ms"
  # Scrapers: 20 queries per second per IP, bursts of 40.
  rate_limit {
    algorithm = "token_bucket"
    rate      = 20
    burst     = 40
    per       = "ip"
  }
  call {
    to = service.query
  }
}

# Parses the query, fans it out to every shard, merges and ranks the hits.
service "query" {
  image        = "ghcr.io/example/query:11.0.0"
  ports        = [8080]
  replicas     = 120 # 50k queries/s: 0.52 nominal, 0.78 with a zone lost
  zones        = local.zones
  capacity_rps = 800
  latency      = "25ms"
  resources {
    cpu    = "4"
    memory = "8Gi"
  }
  autoscale {
    min                = 120
    max                = 240
    target_utilization = 0.55
  }
  # The cache reads through to the index on a miss; if the cache is down the
  # query goes to the index directly (its origin), which is sized for that.
  call {
    to       = cache.results
    op       = "read"
    required = false
    timeout  = "250ms"
    protocol = "redis"
  }
}

cache "results" {
  engine       = "redis"
  strategy     = "read_through"
  hit_ratio    = 0.35 # the head of the query distribution; the long tail always misses
  ttl          = "10m"
  eviction     = "lru"
  invalidation = "versioned" # keys include the index generation: a new generation never serves old results
  persistence  = "none"
  replicas     = 6
  zones        = local.zones
  capacity_rps = 100000
  latency      = "1ms"
  origin       = search.index
}

# capacity_rps counts whole queries: a query fans out to one copy of each of
# the 30 shards, so 90 nodes share its work. 32.5k misses/s over 90 nodes of
# 1,200: 0.30; 50k/s with the results cache down: 0.46; with a zone lost
# as well, 0.69.
search "index" {
  engine       = "elasticsearch"
  image        = "docker.elastic.co/elasticsearch/elasticsearch:8.15.3"
  shards       = 30
  replicas     = 90 # three copies of every shard, one per zone
  zones        = local.zones
  capacity_rps = 1200
  latency      = "40ms"
  ports        = [9200, 9300]
  env = {
    "discovery.type" = "multi-node"
    ES_JAVA_OPTS     = "-Xms31g -Xmx31g"
  }
  secrets = {
    ELASTIC_PASSWORD = "search-index/elastic-password"
  }
  resources {
    cpu    = "16"
    memory = "64Gi"
  }
  health_check {
    path     = "/_cluster/health"
    port     = 9200
    interval = "10s"
    timeout  = "5s"
  }
  volume {
    path = "/usr/share/elasticsearch/data"
    size = "1Ti"
  }
}

flow "query" {
  entry         = client.searchers
  op            = "read"
  consistency   = "bounded_staleness"
  max_staleness = "15m" # a page changed on the web shows up in results within the recrawl window
  partition     = "available"
  slo {
    availability = 0.999
    latency_p99  = "300ms"
  }
}

# ---------------------------------------------------------------- crawling

client "scheduler" {
  description = "The recrawl scheduler: releases 3,000 URLs/s that are due for a fetch."
  rps         = 3000
  read_ratio  = 0
  trust_zone  = "private" # runs inside the cluster, not on the internet
  call {
    to = service.frontier
  }
}

# De-duplicates URLs and records their schedule, then enqueues them keyed by
# host, so one host's URLs are fetched by one crawler, politely, in order.
service "frontier" {
  image        = "ghcr.io/example/frontier:3.4.0"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 5000
  latency      = "3ms"
  call {
    to       = cache.seen
    protocol = "redis"
  }
  call {
    to       = database.crawl_state
    op       = "write"
    protocol = "sql"
  }
  call {
    to   = queue.fetch
    op   = "write"
    mode = "async"
  }
}

# A Bloom filter of every URL seen (RedisBloom). Persisted: losing it would
# mean recrawling the web.
cache "seen" {
  engine       = "redis"
  persistence  = "aof"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 100000
  latency      = "1ms"
}

database "crawl_state" {
  engine       = "postgres"
  zones        = ["usc1-a"]
  capacity_rps = 10000
  latency      = "2ms"
  storage      = "1Ti"
  replication {
    mode     = "none"
    failover = "none"
  }
  volume {
    path = "/var/lib/postgresql/data"
    size = "1Ti"
  }
}

queue "fetch" {
  engine       = "kafka"
  pattern      = "point_to_point"
  partitions   = 128
  ordering     = "partition" # keyed by host
  delivery     = "at_least_once"
  retention    = "2d"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 50000
}

service "crawler" {
  image        = "ghcr.io/example/crawler:3.4.0"
  command      = ["crawler", "--politeness=1s", "--max-connections-per-host=2"]
  replicas     = 24 # 96 workers (≤ 128 partitions) × 60 pages/s: 5.8k/s for 3k/s
  zones        = local.zones
  capacity_rps = 300
  env = {
    USER_AGENT = "ExampleBot/3.4 (+https://example.com/bot)"
  }
  consume {
    from       = queue.fetch
    workers    = 4
    rate       = 60   # an async fetcher with many connections open
    idempotent = true # fetching a page twice stores the same object
  }
  call {
    to       = external.web
    op       = "read"
    timeout  = "10s"
    retries  = 1
    backoff  = "5s"
    protocol = "http"
  }
  call {
    to = storage.pages
    op = "write"
  }
  call {
    to       = database.crawl_state
    op       = "write"
    protocol = "sql"
  }
  call {
    to   = queue.index
    op   = "write"
    mode = "async"
  }
}

external "web" {
  description  = "Every website on the internet."
  availability = 0.99
  latency      = "400ms"
}

storage "pages" {
  engine       = "gcs"
  replicas     = 3
  zones        = local.zones
  capacity_rps = 10000
  availability = 0.9999
  latency      = "30ms"
}

queue "index" {
  engine      = "kafka"
  pattern     = "point_to_point"
  partitions  = 64
  delivery    = "at_least_once"
  retention   = "7d"
  dead_letter = queue.index_dlq # pages the parser cannot handle
  replicas    = 3
  zones       = local.zones
}

queue "index_dlq" {
  engine    = "kafka"
  pattern   = "point_to_point"
  retention = "14d"
  replicas  = 3
  zones     = local.zones
}

service "indexer" {
  image        = "ghcr.io/example/indexer:3.4.0"
  replicas     = 15 # 60 workers × 100 pages/s: 6k/s for 3k/s; 4k/s with a zone lost
  zones        = local.zones
  capacity_rps = 400
  consume {
    from       = queue.index
    workers    = 4
    rate       = 100
    idempotent = true # the document id is the URL's hash: re-indexing overwrites
  }
  call {
    to = storage.pages
    op = "read"
  }
  # One bulk request per 100 documents.
  call {
    to          = search.index
    op          = "write"
    per_request = 0.01
  }
}
