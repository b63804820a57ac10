# A database's primary and two read replicas, one per zone: losing a
# replica's zone leaves the other replica all the reads. Losing the primary's
# zone takes the writes down entirely (the spof rule's finding), not an
# overload.
system "replicas" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "web" {
  rps        = 2000
  read_ratio = 0.9
  call {
    to = database.orders
  }
}

database "orders" {
  engine       = "postgres"
  capacity_rps = 1000
  zones        = ["a", "b", "c"]
  replication {
    mode      = "async"
    replicas  = 2  # want "zone-failure-capacity" "^losing zone .b. leaves database.orders replicas 1 of 2 instances at 1800 rps each: utilization = 1800 rps / .1 × 1000 rps. = 1.8 ≥ 1 .also zone .c.: 1.8.$"
    read_from = "replicas"
  }
}
