# Async replication with automatic failover under rpo = "0s" loses
# acknowledged writes (Kleppmann, DDIA ch. 5, "Leader failover"); manual
# failover does not.
#
# Issue 23 case 3: MySQL semi-sync reverts to async when no replica
# acknowledges within rpl_semi_sync_source_timeout (10 s by default: MySQL
# manual §19.4.10.2), so with automatic failover it loses writes too; its
# clean twin never falls back (fallback = "none"). Redis WAIT with Sentinel:
# "WAIT does not make Redis a strongly consistent store ... it is possible
# to still lose a write synchronously replicated to multiple replicas"
# (Redis documentation, WAIT).
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
  call {
    to = database.ledger
    op = "write"
  }
  call {
    to = database.locks
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
    mode     = "semi_sync"  # want "durability" "^database.payments replicates semi-sync, falling back to async after 10s, with failover = .automatic.: a failover promotes a replica that can lack writes the primary acknowledged, but flow .order. has rpo = .0s.$"
    replicas = 2
    failover = "automatic"
  }
}

database "ledger" {
  engine = "mysql"
  replication {
    mode     = "semi_sync"
    fallback = "none"
    replicas = 2
    failover = "automatic"
  }
}

database "locks" {
  engine = "redis"
  replication {
    mode     = "sync"
    replicas = 2
    failover = "automatic"  # want "durability" "^database.locks replicates with Redis replication .WAIT or not. with failover = .automatic.: a failover promotes a replica that can lack writes the primary acknowledged, but flow .order. has rpo = .0s.$"
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
