# Two regions; the api survives any one zone but lives in one region only.
# The database's five quorum members spread over both regions, three in east:
# losing east also loses the quorum (a majority needs a third region).
system "regions" {}

region "east" {
  zones = ["e1", "e2", "e3"]
}

region "west" {
  zones = ["w1", "w2"]
}

client "web" {
  rps = 1000
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 6
  zones        = ["e1", "e2", "e3"]  # want "spof" "^losing region .east. leaves service.api 0 of 6 instances; it needs 3 = ⌊1000 rps / 500 rps⌋ . 1; database.main 2 of 5 instances; it needs 3 .write quorum w = 3 of 5. .flows: client.web.$"
  capacity_rps = 500
  call {
    to = database.main
  }
}

database "main" {
  engine = "cockroachdb"
  zones  = ["e1", "w1", "e2", "w2", "e3"]
  replication {
    mode = "quorum"
  }
  quorum {
    n = 5
  }
}
