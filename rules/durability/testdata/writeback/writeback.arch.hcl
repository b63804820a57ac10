# A write_back cache under rpo = "0s" loses acknowledged writes; a
# write_through cache does not.
system "wb" {
  slo {
    rpo = "0s"
  }
}

client "web" {
  rps        = 100
  read_ratio = 0.5
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = cache.carts
  }
  call {
    to = cache.profiles
  }
}

cache "carts" {
  engine         = "redis"
  strategy       = "write_back"  # want "durability" "^cache.carts is write_back: a cache failure loses up to flush_interval = 5s of acknowledged writes not yet written to database.carts, but flow .checkout. has rpo = .0s.$"
  flush_interval = "5s"
  persistence    = "aof"
  origin         = database.carts
}

cache "profiles" {
  engine   = "redis"
  strategy = "write_through"
  origin   = database.profiles
}

database "carts" {
  engine = "postgres"
}

database "profiles" {
  engine = "postgres"
}

flow "checkout" {
  entry = client.web
  op    = "write"
}
