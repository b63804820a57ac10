# A call can ask more of what it reads than its flow: the flow needs nothing,
# the call to the ledger needs linearizable reads, which sync replicas do
# not give. Sticky sessions make one async replica set monotonic.
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
}

database "ledger" {
  engine = "postgres"
  replication {
    mode      = "sync"  # want "consistency" "^flow .browse. needs linearizable, but reads through database.ledger .sync replicas. give only read_your_writes$"
    replicas  = 2
    read_from = "replicas"
  }
}

database "feed" {
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
