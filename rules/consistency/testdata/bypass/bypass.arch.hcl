# Issue 23 case 8, the graph over the label: a write_through cache is
# current only for the writes that go through it ("Database Caching
# Strategies Using Redis", AWS whitepaper, "Write-through"). Here the api
# writes the profiles database directly, so the cache in front of it is
# stale until its ttl; the clean twin's writes all go through its cache.
system "bypass" {}

client "web" {
  rps        = 100
  read_ratio = 0.5
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = cache.profiles
    op = "read"
  }
  call {
    to = database.profiles
    op = "write"
  }
  call {
    to = cache.carts
  }
}

cache "profiles" {
  engine   = "redis"
  strategy = "write_through"  # want "consistency" "^flow .web. needs read_your_writes, but reads through cache.profiles .write_through bypassed by service.api. give only bounded_staleness .60s.$"
  ttl      = "60s"
  origin   = database.profiles
}

database "profiles" {
  engine = "postgres"
}

cache "carts" {
  engine   = "redis"
  strategy = "write_through"
  ttl      = "60s"
  origin   = database.carts
}

database "carts" {
  engine = "postgres"
}

flow "web" {
  entry       = client.web
  consistency = "read_your_writes"
}
