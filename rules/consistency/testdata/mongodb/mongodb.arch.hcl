# Issue 23 case 5: primary reads are not always linearizable. MongoDB with
# w: majority and readConcern majority, read from the primary: a primary
# deposed by a partition keeps answering until it notices, so a read can
# miss a write the new primary acknowledged (Jepsen, "MongoDB 3.4.0-rc3",
# Kingsbury 2017; MongoDB manual, "Read Concern"). readConcern
# "linearizable" with w: majority is the clean twin (MongoDB manual,
# "Read Concern \"linearizable\""; Jepsen, "MongoDB 3.4.1").
system "mongodb" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to          = database.accounts
    read_level  = "majority"  # want "consistency" "^flow .transfer. needs linearizable, but reads through database.accounts .primary, readConcern majority, w: majority. give only eventual$"
    write_level = "majority"
  }
  call {
    to          = database.ledger
    read_level  = "linearizable"
    write_level = "majority"
  }
}

database "accounts" {
  engine = "mongodb"
  replication {
    mode     = "async"
    replicas = 2
    failover = "automatic"
  }
}

database "ledger" {
  engine = "mongodb"
  replication {
    mode     = "async"
    replicas = 2
    failover = "automatic"
  }
}

flow "transfer" {
  entry       = client.web
  consistency = "linearizable"
}
