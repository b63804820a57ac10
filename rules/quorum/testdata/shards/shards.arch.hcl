# Each shard is a quorum of its own: with 2 shards of 3 members over zones a
# and b, the placement runs on across shards (a, b, a | b, a, b), so each zone
# holds a majority of one shard.
system "shards" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "app" {
  rps = 10
  call {
    to = database.kv
  }
}

database "kv" {
  engine = "cassandra"
  shards = 2
  zones  = ["a", "b"]  # want "quorum" "^losing zone a leaves shard 0 of database.kv with 1 of 3 members .placed a: 2, b: 1., fewer than the 2 its reads and writes need: the store stops answering them until the zone returns .also zone b.$"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}
