# A store claimed available whose configuration is consistent, across zones.
system "claimed" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "app" {
  rps = 10
  call {
    to = database.locks
  }
}

database "locks" {
  engine         = "etcd"
  zones          = ["a", "b", "c"]
  partition_mode = "available"  # want "cap-conflict" "^database.locks claims partition_mode = .available., but its reads are linearizable .* and its members span zones a, b, c: across a partition between them it cannot be both$"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}

# One zone: no partition between its members to speak of.
database "local" {
  engine         = "etcd"
  zones          = ["a"]
  partition_mode = "available"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}

# Issue 23 case 1: Riak's quorum is sloppy (hinted handoff counts toward w),
# so its reads are not linearizable and partition_mode = "available" is
# what it does: no claim to report (DDIA ch. 5, "Sloppy Quorums and Hinted
# Handoff"; DeCandia et al., "Dynamo", §4.6).
database "riak" {
  engine         = "riak"
  zones          = ["a", "b", "c"]
  partition_mode = "available"
  quorum {
    n = 3
    r = 2
    w = 2
  }
}
