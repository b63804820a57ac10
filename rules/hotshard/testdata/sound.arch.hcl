# Negative cases: a skewed database with headroom, an even sharded database
# over its limit (the capacity rule's business, not this one's), and a skewed
# database with no capacity_rps.
system "sound" {}

client "web" {
  rps        = 40000
  read_ratio = 0
  call {
    to = database.roomy
    op = "write"
  }
  call {
    to = database.even
    op = "write"
  }
  call {
    to = database.unsized
    op = "write"
  }
}

database "roomy" {
  engine       = "cassandra"
  capacity_rps = 10000
  shards       = 8
  shard_key    = "tenant_id"
  shard_skew   = 1.5
}

database "even" {
  engine       = "cassandra"
  capacity_rps = 5000
  shards       = 8
}

database "unsized" {
  engine     = "cassandra"
  shards     = 8
  shard_skew = 3
}
