# With automatic failover a replica takes over the writes: the primary is not
# a single point of failure. With failover = "none" it is.
system "failover" {}

client "web" {
  rps        = 100
  read_ratio = 0.5
  call {
    to = service.api
  }
}

service "api" {
  replicas = 2
  call {
    to = database.auto
  }
  call {
    to = database.none
  }
}

database "auto" {
  engine = "postgres"
  replication {
    mode     = "sync"
    replicas = 2
    failover = "automatic"
  }
}

database "none" {
  engine = "postgres"
  replication {
    mode     = "async"
    replicas = 1
    failover = "none"  # want "spof" "^losing the primary of database.none .failover = .none.. leaves database.none primary 0 of 1 instances; it needs 1 .flows: client.web.$"
  }
}
