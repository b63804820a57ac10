# r + w > n, but w = 1 of 3 is not a majority: two writes can both succeed.
system "minority" {}

client "app" {
  rps = 100
  call {
    to = database.kv
  }
}

database "kv" {
  engine = "scylladb"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 3
    w = 1  # want "quorum" "^database.kv has w = 1 ≤ n/2 = 3/2: two writes can both be acknowledged by members that do not overlap .2w = 2 ≤ n = 3., and flow .counters. needs read_your_writes$"
  }
}

flow "counters" {
  entry       = client.app
  consistency = "read_your_writes"
}
