# Posting a tweet: store it durably, then hand the fan-out to a queue so the
# author's request returns as soon as the tweet is stored. The fan-out workers
# look up the author's followers and push the tweet id into each follower's
# cached timeline.

service "tweets" {
  image        = "ghcr.io/example/tweets:5.2.0"
  ports        = [9090]
  replicas     = local.tweets_replicas # 12: 0.5 nominal, 0.75 with a zone lost
  zones        = local.zones
  capacity_rps = 2000
  latency      = "5ms"
  rollout      = "canary"
  resources {
    cpu    = "2"
    memory = "2Gi"
  }
  call {
    to       = database.tweets
    op       = "write"
    protocol = "tcp"
    timeout  = "100ms"
    retries  = 1
    backoff  = "10ms"
  }
  call {
    to       = queue.fanout
    op       = "write"
    mode     = "async"
    protocol = "kafka"
  }
}

queue "fanout" {
  engine       = "kafka"
  pattern      = "point_to_point"
  partitions   = 256         # bounds the fan-out workers that can run at once
  ordering     = "partition" # keyed by author: one author's tweets arrive in order
  delivery     = "at_least_once"
  retention    = "3d"
  replicas     = 6
  zones        = local.zones
  capacity_rps = 50000
  latency      = "5ms"
}

service "fanout" {
  image        = "ghcr.io/example/fanout:5.2.0"
  replicas     = 30 # 240 workers × 100 tweets/s = 24k/s for 12k/s; 16k/s with a zone lost
  zones        = local.zones
  capacity_rps = 1000
  consume {
    from       = queue.fanout
    workers    = 8
    rate       = 100  # tweets per second per worker, each pushed to ~75 timelines
    idempotent = true # ZADD of the same tweet id twice leaves one entry
  }
  # The author's followers (accounts above 100k followers are skipped: their
  # tweets are merged at read time).
  call {
    to       = database.graph
    op       = "read"
    protocol = "tcp"
  }
  # One pipelined insert per follower.
  call {
    to          = cache.timelines
    op          = "write"
    per_request = var.avg_followers
    protocol    = "redis"
  }
}

# Tweets, keyed by id. Writes need two of three replicas (a majority), reads
# one: a timeline may show a tweet a few milliseconds late, never lose it.
database "tweets" {
  engine       = "cassandra"
  zones        = local.zones
  shards       = 16
  shard_key    = "tweet_id"
  shard_skew   = 1.2 # ids are snowflake ids hashed over the ring: nearly even
  capacity_rps = 12000
  latency      = "4ms"
  storage      = "4Ti"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 1
    w = 2
  }
  volume {
    path = "/var/lib/cassandra"
    size = "4Ti"
  }
  resources {
    cpu    = "16"
    memory = "64Gi"
  }
}

# Who follows whom. Read by the fan-out for every tweet; written when someone
# follows or unfollows (not modelled: a few hundred per second). Reads go to
# any member, primary included: a follower list a second old is fine for
# fan-out.
database "graph" {
  engine       = "neo4j"
  model        = "graph"
  zones        = local.zones
  capacity_rps = 20000
  latency      = "3ms"
  replication {
    mode      = "async"
    replicas  = 2
    read_from = "any"
    failover  = "automatic"
  }
}
