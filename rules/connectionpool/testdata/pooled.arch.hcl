# Reads pooled over 3 replicas: 6000 rps × R / 3 instances. With
# max_connections = 20 they fit (about 10 per instance); a database over
# capacity has in-flight requests without bound.
system "pooled" {}

client "web" {
  rps = 6000
  call {
    to = database.catalog
    op = "read"
  }
  call {
    to = database.tiny
    op = "read"
  }
}

database "catalog" {
  engine          = "postgres"
  capacity_rps    = 4000
  latency         = "5ms"
  max_connections = 20
  replication {
    mode      = "async"
    replicas  = 3
    read_from = "replicas"
  }
}

database "tiny" {
  engine          = "postgres"
  capacity_rps    = 5000
  latency         = "2ms"
  max_connections = 500 # want "connection-pool" "^in-flight requests at database.tiny primary grow without bound .utilization ≥ 1. past max_connections 500$"
}
