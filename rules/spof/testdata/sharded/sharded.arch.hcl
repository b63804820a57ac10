# Four shards, each a primary and one replica, reads from the replicas: every
# shard is needed, so each primary and each replica is a single point of
# failure. One finding for the component.
system "sharded" {}

client "web" {
  rps        = 1000
  read_ratio = 0.5
  call {
    to = database.main
  }
}

database "main" {
  engine       = "postgres"
  shards       = 4
  capacity_rps = 1000
  replication {
    mode      = "async"
    replicas  = 1  # want "spof" "^losing any one of 8 instances of database.main leaves database.main replicas .any of its 4 shards. 0 of 1 instances; it needs 1; database.main primary .any of its 4 shards. 0 of 1 instances; it needs 1 .flows: client.web.$"
    read_from = "replicas"
  }
}
