# A majority quorum of 3 placed (2, 1) over two zones loses its majority with
# zone a; (1, 1, 1) over three zones survives any one zone.
system "zones" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "app" {
  rps = 10
  call {
    to = database.config
  }
  call {
    to = database.spread
  }
}

database "config" {
  engine = "etcd"
  zones  = ["a", "b"]  # want "quorum" "^losing zone a leaves database.config with 1 of 3 members .placed a: 2, b: 1., fewer than the 2 its reads and writes need: the store stops answering them until the zone returns$"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}

database "spread" {
  engine = "etcd"
  zones  = ["a", "b", "c"]
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}
