# Issue 23 case 6: PBS does not apply where replica choice is not uniform.
# LOCAL_QUORUM reads and writes with replication factor 3 in each of two
# datacenters overlap only inside one datacenter (Apache Cassandra
# documentation, "Tunable Consistency"; DataStax, "How is the consistency
# level configured?"): the n-wide formula C(4, 2)/C(6, 2) = 2/5 is wrong
# both ways (0 in the writer's datacenter; in the other, the worst case
# before cross-datacenter replication is that the read misses the write).
# The clean twin writes with EACH_QUORUM, which overlaps LOCAL_QUORUM reads
# in every datacenter.
system "localquorum" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to          = database.events
    read_level  = "local_quorum"
    write_level = "local_quorum"
  }
  call {
    to          = database.orders
    read_level  = "local_quorum"
    write_level = "each_quorum"
  }
}

database "events" {
  engine = "cassandra"
  quorum {
    n           = 6
    datacenters = { dc1 = 3, dc2 = 3 }  # want "consistency" "^flow .web. needs read_your_writes, but reads through database.events .local_quorum/local_quorum, replication factor 3 per datacenter. give only eventual$"
  }
}

database "orders" {
  engine = "cassandra"
  quorum {
    n           = 6
    datacenters = { dc1 = 3, dc2 = 3 }
  }
}

flow "web" {
  entry       = client.web
  consistency = "read_your_writes"
}
