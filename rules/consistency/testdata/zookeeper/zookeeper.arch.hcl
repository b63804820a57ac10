# ZooKeeper's quorum reads are sequential (a member answers from its own
# state): not linearizable. etcd's are.
system "coordination" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "ops" {
  rps = 10
  call {
    to = service.scheduler
  }
}

service "scheduler" {
  call {
    to = database.zk
    op = "read"
  }
  call {
    to = database.etcd
    op = "read"
  }
}

database "zk" {
  engine = "zookeeper"  # want "consistency" "^flow .leader. needs linearizable, but reads through database.zk .zookeeper, r = 2, w = 2 of n = 3. give only sequential$"
  zones  = ["a", "b", "c"]
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}

database "etcd" {
  engine = "etcd"
  zones  = ["a", "b", "c"]
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}

flow "leader" {
  entry       = client.ops
  op          = "read"
  consistency = "linearizable"
}
