# The mean shard is at 0.5; the skew of 1.8 puts the hottest at 0.9, above
# max_utilization 0.8: a warning that names the missing shard key. Reads go to
# each shard's replicas.
system "skew" {}

client "web" {
  rps = 8000
  call {
    to = database.users
    op = "read"
  }
}

database "users" {
  engine       = "postgres"
  capacity_rps = 1000
  shards       = 4
  shard_skew   = 1.8 # want "hot-shard" "^hottest shard .no shard_key declared. = 1.8 × 8000 rps / 4 shards = 3600 rps; utilization = 3600 rps / .4 × 1000 rps. = 0.9 > 0.8$"
  replication {
    mode      = "async"
    replicas  = 4
    read_from = "replicas"
  }
}
