# Async replication with automatic failover under rpo = "0s" loses
# acknowledged writes; semi_sync and manual failover do not.
system "failover" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.orders
    op = "write"
  }
  call {
    to = database.payments
    op = "write"
  }
  call {
    to = database.audit
    op = "write"
  }
}

database "orders" {
  engine = "postgres"
  replication {
    mode     = "async"  # want "durability" "^database.orders replicates async with failover = .automatic.: a failover promotes a replica that can lack writes the primary acknowledged, but flow .order. has rpo = .0s.$"
    replicas = 2
    failover = "automatic"
  }
}

database "payments" {
  engine = "mysql"
  replication {
    mode     = "semi_sync"
    replicas = 2
    failover = "automatic"
  }
}

database "audit" {
  engine = "postgres"
  replication {
    mode     = "async"
    replicas = 1
  }
}

flow "order" {
  entry = client.web
  op    = "write"
  slo {
    rpo = "0s"
  }
}
