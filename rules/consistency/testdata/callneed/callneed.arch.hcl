# A call can ask more of what it reads than its flow: the flow needs nothing,
# the call to the ledger needs linearizable reads, which sync replicas do
# not give.
#
# Issue 23 case 4, stickiness credited to the wrong layer: ip_hash on the
# edge load balancer pins a client to an api instance, not the api's reads
# to one database replica, so the feed's async replicas do not give
# monotonic reads (Kleppmann, DDIA ch. 5, "Monotonic Reads": each user
# must read from the same replica). The clean twin: session =
# "sticky_replica" on the hop that reads the replicas.
system "callneed" {}

client "web" {
  rps = 100
  call {
    to = load_balancer.edge
  }
}

load_balancer "edge" {
  algorithm = "ip_hash"
  call {
    to = service.api
  }
}

service "api" {
  call {
    to          = database.ledger
    op          = "read"
    consistency = "linearizable"
  }
  call {
    to          = database.feed
    op          = "read"
    consistency = "monotonic_reads"
  }
  call {
    to          = database.feed_pinned
    op          = "read"
    consistency = "monotonic_reads"
    session     = "sticky_replica"
  }
}

database "ledger" {
  engine = "postgres"
  replication {
    mode      = "sync"  # want "consistency" "^flow .browse. needs linearizable, but reads through database.ledger .sync replicas, ack = flush. give only eventual$"
    replicas  = 2
    read_from = "replicas"
  }
}

database "feed" {
  engine = "mysql"
  replication {
    mode      = "async"  # want "consistency" "^flow .browse. needs monotonic_reads, but reads through database.feed .async replicas. give only eventual$"
    replicas  = 3
    read_from = "replicas"
  }
}

database "feed_pinned" {
  engine = "mysql"
  replication {
    mode      = "async"
    replicas  = 3
    read_from = "replicas"
  }
}

flow "browse" {
  entry = client.web
  op    = "read"
}
