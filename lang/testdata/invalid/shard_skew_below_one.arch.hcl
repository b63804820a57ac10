system "s" {}

database "orders" {
  shards     = 4
  shard_skew = 0.5
}
