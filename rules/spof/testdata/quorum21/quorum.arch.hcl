# A majority quorum of three members placed (2, 1) over two zones: losing the
# zone that holds two leaves one member, short of the quorum of two.
system "quorum" {}

region "r1" {
  zones = ["a", "b"]
}

client "app" {
  rps = 100
  call {
    to = database.config
  }
}

database "config" {
  engine = "etcd"
  zones  = ["a", "b"]  # want "spof" "^losing zone .a. leaves database.config 1 of 3 instances; it needs 2 .write quorum w = 2 of 3. .flows: client.app.$"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}
