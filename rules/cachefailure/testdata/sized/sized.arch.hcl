# The shop with an origin sized for the load without its cache: 9000 rps of
# reads over 5 replicas is 0.9 each. A second cache in front of an origin
# without capacity_rps cannot be checked, and is not reported.
system "sized" {}

client "web" {
  rps        = 10000
  read_ratio = 0.9
  call {
    to = service.api
  }
}

service "api" {
  replicas = 12
  call {
    to       = cache.sessions
    op       = "read"
    required = false
  }
  call {
    to       = cache.profiles
    op       = "read"
    required = false
  }
  call {
    to = database.orders
    op = "write"
  }
}

cache "sessions" {
  hit_ratio = 0.8
  origin    = database.orders
}

cache "profiles" {
  hit_ratio = 0.99
  origin    = database.profiles
}

database "orders" {
  engine       = "postgres"
  capacity_rps = 2000
  replication {
    mode      = "async"
    replicas  = 5
    read_from = "replicas"
  }
}

database "profiles" {
  engine = "postgres"
}
