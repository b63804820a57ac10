# ORACLES: 40000 rps, 8 shards, shard_skew = 1.5 → hottest shard 7500 rps.
system "hot" {}

client "web" {
  rps        = 40000
  read_ratio = 0
  call {
    to = database.events
    op = "write"
  }
}

database "events" {
  engine       = "cassandra"
  capacity_rps = 5000
  shards       = 8
  shard_key    = "tenant_id"
  shard_skew   = 1.5 # want "hot-shard" "^hottest shard .shard_key \"tenant_id\". = 1.5 × 40000 rps / 8 shards = 7500 rps; utilization = 7500 rps / .1 × 5000 rps. = 1.5 ≥ 1$"
}
