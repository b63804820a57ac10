# n = 3, r = 1, w = 1 under a flow that needs linearizable reads: a read
# misses the latest write with probability C(2, 1)/C(3, 1) = 2/3.
system "q311" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "app" {
  rps = 100
  call {
    to = database.kv
  }
}

database "kv" {
  engine = "cassandra"
  zones  = ["a", "b", "c"]
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 1  # want "quorum" "^flow .login. needs linearizable, but database.kv has r \\+ w = 1 \\+ 1 = 2 ≤ n = 3: P.stale read. = C.n−w, r./C.n, r. = C.2, 1./C.3, 1. = 2/3 right after a write .worst case, before anti-entropy.$"
    w = 1
  }
}

# A flow that needs nothing more than eventual is not reported.
flow "feed" {
  entry       = client.app
  op          = "read"
  consistency = "eventual"
}

flow "login" {
  entry       = client.app
  op          = "read"
  consistency = "linearizable"
}
