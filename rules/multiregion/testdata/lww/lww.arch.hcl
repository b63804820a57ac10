# Active-active with last-writer-wins under linearizable: lost updates.
# CRDTs under read_your_writes and active-passive are fine.
system "global" {}

region "us" {
  zones = ["us-a"]
}

region "eu" {
  zones = ["eu-a"]
}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.carts
  }
  call {
    to = database.likes
  }
  call {
    to = database.accounts
  }
}

database "carts" {
  engine = "cassandra"
  multi_region {
    mode     = "active_active"
    regions  = ["us", "eu"]
    conflict = "lww"  # want "multi-region-conflict" "^flow .checkout. needs linearizable, but database.carts is active_active with conflict = .lww.: one of two concurrent writes in different regions is silently lost$"
  }
}

database "likes" {
  engine = "cassandra"
  multi_region {
    mode     = "active_active"
    regions  = ["us", "eu"]
    conflict = "crdt"
  }
}

database "accounts" {
  engine = "postgres"
  multi_region {
    mode    = "active_passive"
    regions = ["us", "eu"]
  }
}

flow "checkout" {
  entry       = client.web
  op          = "write"
  consistency = "linearizable"
}
