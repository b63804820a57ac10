# n = 3, r = 2, w = 2: r + w > n, a majority each, one member per zone.
# Nothing to report.
system "q322" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "app" {
  rps = 100
  call {
    to = database.kv
  }
}

database "kv" {
  engine = "cassandra"
  zones  = ["a", "b", "c"]
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 2
    w = 2
  }
}

flow "read" {
  entry       = client.app
  op          = "read"
  consistency = "linearizable"
}

flow "write" {
  entry       = client.app
  op          = "write"
  consistency = "linearizable"
}
