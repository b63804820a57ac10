# Reading the home timeline: one lookup of the precomputed list of tweet ids,
# then one multi-get of the tweets themselves.

service "timeline" {
  image        = "ghcr.io/example/timeline:5.2.0"
  ports        = [9090]
  replicas     = local.timeline_replicas # 141: 0.53 nominal, 0.79 with a zone lost
  zones        = local.zones
  capacity_rps = 4000
  latency      = "8ms"
  rollout      = "rolling"
  autoscale {
    min                = local.timeline_replicas
    max                = 300
    target_utilization = 0.6
  }
  call {
    to       = cache.timelines
    op       = "read"
    protocol = "redis"
    timeout  = "30ms"
  }
  # Hydrate the ~20 tweets of the page in one pipelined multi-get. If the
  # tweet cache is down the page still renders, from Cassandra.
  call {
    to       = cache.tweet_cache
    op       = "read"
    required = false
    protocol = "tcp"
    timeout  = "30ms"
  }
}

# The materialized timelines: the 800 most recent tweet ids per active user.
# A miss (a user back after a month) rebuilds the timeline from the tweets
# table, the cache's origin.
cache "timelines" {
  engine       = "redis"
  strategy     = "cache_aside" # the fan-out's writes stay in the cache; only misses reach the origin
  hit_ratio    = 0.99
  ttl          = "30d" # timelines of users inactive for a month expire
  eviction     = "lfu"
  invalidation = "explicit" # deletions remove the id from every timeline
  persistence  = "snapshot" # a restarted node reloads its snapshot instead of rebuilding from Cassandra
  replicas     = 24         # 1.2M ops/s (300k reads + 900k fan-out writes): 0.5 nominal, 0.75 with a zone lost
  zones        = local.zones
  capacity_rps = 100000
  latency      = "1ms"
  origin       = database.tweets
  resources {
    cpu    = "2"
    memory = "64Gi"
  }
}

cache "tweet_cache" {
  engine       = "memcached"
  strategy     = "cache_aside"
  hit_ratio    = 0.95
  ttl          = "24h"
  eviction     = "lru"
  invalidation = "explicit"
  replicas     = 12
  zones        = local.zones
  capacity_rps = 150000
  latency      = "1ms"
  origin       = database.tweets
}

flow "home" {
  entry       = client.app
  op          = "read"
  rps         = var.timeline_rps
  consistency = "eventual"  # a tweet may appear in followers' timelines seconds later
  partition   = "available" # serve the cached timeline on both sides of a partition
  slo {
    availability = 0.999
    latency_p99  = "200ms"
  }
}

flow "post" {
  entry     = client.app
  op        = "write"
  rps       = var.tweet_rps
  partition = "consistent" # w = 2 of 3: the minority side of a partition cannot accept tweets
  slo {
    availability = 0.9995
    latency_p99  = "250ms"
    rpo          = "0s"
  }
  transaction {
    mode = "outbox" # the tweet and its fan-out job commit together; a relay publishes the job
  }
}
