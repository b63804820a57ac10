# Issue 23 case 3: Kafka acks = 1 under rpo = "0s". The leader acknowledges
# before any follower has the message; acks = all waits only for the
# in-sync replicas, which min.insync.replicas = 1 lets shrink to the leader
# alone (Apache Kafka documentation, §4.8 "Replication: Availability and
# Durability Guarantees"). The clean twin: acks = "all",
# min_insync_replicas = 2, replication_factor = 3, no unclean election.
system "kafka" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to   = queue.events
    op   = "write"
    mode = "async"
  }
  call {
    to   = queue.orders
    op   = "write"
    mode = "async"
  }
  call {
    to   = queue.audit
    op   = "write"
    mode = "async"
  }
}

queue "events" {
  engine = "kafka"
  acks   = "1"  # want "durability" "^queue.events can lose acknowledged messages .acks = \"1\"., but flow .order. has rpo = .0s.$"
}

queue "audit" {
  engine                  = "kafka"
  acks                    = "all"  
  min_insync_replicas     = 1  # want "durability" "^queue.audit can lose acknowledged messages .min.insync.replicas 1 of 3., but flow .order. has rpo = .0s.$"
  replication_factor      = 3
}

queue "orders" {
  engine                  = "kafka"
  acks                    = "all"
  min_insync_replicas     = 2
  replication_factor      = 3
  unclean_leader_election = false
}

flow "order" {
  entry = client.web
  op    = "write"
  slo {
    rpo = "0s"
  }
}
