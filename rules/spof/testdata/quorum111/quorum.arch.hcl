# A majority quorum of three members placed (1, 1, 1) over three zones: no
# single point of failure.
system "quorum" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "app" {
  rps = 100
  call {
    to = database.config
  }
}

database "config" {
  engine = "etcd"
  zones  = ["a", "b", "c"]
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}
