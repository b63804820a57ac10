# ORACLES.md, "Model v2": a leaderless store, n = 3, r = 1, w = 2, one member
# per zone; 2250 reads/s and 750 writes/s.
system "leaderless" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "web" {
  rps        = 3000
  read_ratio = 0.75
  call {
    to = load_balancer.lb
  }
}

load_balancer "lb" {
  replicas     = 3
  zones        = ["a", "b", "c"]
  algorithm    = "least_connections"
  availability = 0.999
  latency      = "1ms"
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 6
  zones        = ["a", "b", "c"]
  capacity_rps = 800
  latency      = "10ms"
  availability = 0.995
  call {
    to = database.store
  }
}

database "store" {
  engine       = "cassandra"
  zones        = ["a", "b", "c"]
  capacity_rps = 3000
  latency      = "3ms"
  availability = 0.999
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 1
    w = 2
  }
}

flow "read" {
  entry = client.web
  op    = "read"
}

flow "write" {
  entry = client.web
  op    = "write"
}
