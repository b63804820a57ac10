# multi_region over us and eu with zones only in us: the eu copy does not
# exist. The twin places a replica in each region.
system "global" {}

region "us" {
  zones = ["us-a", "us-b"]
}

region "eu" {
  zones = ["eu-a"]
}

client "web" {
  rps = 10
  call {
    to = database.accounts
  }
  call {
    to = database.carts
  }
}

database "accounts" {
  engine = "postgres"
  zones  = ["us-a", "us-b"]
  replication {
    mode     = "async"
    replicas = 1
  }
  multi_region { # want "multi-region-placement" "^database.accounts's multi_region names regions us, eu, but its zones place instances in only us: no copy of the data lives in eu$"
    mode    = "active_passive"
    regions = ["us", "eu"]
  }
}

database "carts" {
  engine = "postgres"
  zones  = ["us-a", "eu-a"]
  replication {
    mode     = "async"
    replicas = 1
  }
  multi_region {
    mode    = "active_passive"
    regions = ["us", "eu"]
  }
}
