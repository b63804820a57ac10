system "s" {}

database "kv" {
  engine = "cassandra"
  replication {
    mode     = "quorum"
    replicas = 2
  }
}
