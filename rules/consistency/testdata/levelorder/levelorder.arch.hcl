# Issue 23 case 7: the level ordering must be consistent. One replica, sync
# or async, gives monotonic reads (every read sees the one replica's state,
# which only moves forward: Kleppmann, DDIA ch. 5, "Monotonic Reads"); sync
# replication acknowledged on flush adds nothing to that for reads. So
# neither one-replica store is reported under monotonic_reads, and the
# two-replica async store (reads spread over replicas that lag differently)
# is.
system "levelorder" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.one_sync
    op = "read"
  }
  call {
    to = database.one_async
    op = "read"
  }
  call {
    to = database.two_async
    op = "read"
  }
}

database "one_sync" {
  engine = "postgres"
  replication {
    mode      = "sync"
    replicas  = 1
    read_from = "replicas"
  }
}

database "one_async" {
  engine = "postgres"
  replication {
    mode      = "async"
    replicas  = 1
    read_from = "replicas"
  }
}

database "two_async" {
  engine = "postgres"
  replication {
    mode      = "async"  # want "consistency" "^flow .timeline. needs monotonic_reads, but reads through database.two_async .async replicas. give only eventual$"
    replicas  = 2
    read_from = "replicas"
  }
}

flow "timeline" {
  entry       = client.web
  op          = "read"
  consistency = "monotonic_reads"
}
