# Issue 23 case 1: quorum overlap is not linearizability. Cassandra
# QUORUM/QUORUM (n = 3, r = 2, w = 2) orders concurrent writes by client
# timestamps (last write wins) and loses one of them; only lightweight
# transactions (Paxos, SERIAL reads) are linearizable (Jepsen, "Cassandra",
# Kingsbury 2013; Apache Cassandra documentation, "Lightweight
# transactions"). Blocking read repair does give monotonic quorum reads
# (Cassandra documentation, "Read repair"), so read-your-writes and
# monotonic reads are met. The clean twin reads with read_level = "serial".
system "quorumlww" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "app" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.kv
  }
  call {
    to          = database.kv_lwt
    read_level  = "serial"
    write_level = "serial"
  }
}

client "reader" {
  rps = 100
  call {
    to = service.feed
  }
}

service "feed" {
  call {
    to = database.profiles
    op = "read"
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
    r = 2  # want "consistency" "^flow .balance. needs linearizable, but reads through database.kv .r = 2, w = 2 of n = 3, last-write-wins. give only read_your_writes . monotonic_reads$"
    w = 2
  }
}

database "kv_lwt" {
  engine = "cassandra"
  zones  = ["a", "b", "c"]
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 2
    w = 2
  }
}

database "profiles" {
  engine = "cassandra"
  zones  = ["a", "b", "c"]
  quorum {
    n = 3
    r = 2
    w = 2
  }
}

flow "balance" {
  entry       = client.app
  consistency = "linearizable"
}

flow "feed" {
  entry       = client.reader
  op          = "read"
  consistency = "monotonic_reads"
}
