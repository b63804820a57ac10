# ORACLES.md, "Model v2", visits: the api reads the cache twice per request,
# each read a miss with probability 0.25, so a request reaches the database
# 0, 1 or 2 times with probability 0.5625, 0.375 and 0.0625 (Binomial(2,
# 0.25)), not ⌊0.5⌋ times plus once with probability 0.5.
system "binomial" {}

client "web" {
  rps        = 1000
  read_ratio = 1
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 2
  capacity_rps = 1000
  latency      = "10ms"
  call {
    to          = cache.c
    op          = "read"
    per_request = 2
    required    = false
  }
}

cache "c" {
  engine    = "redis"
  strategy  = "cache_aside"
  hit_ratio = 0.75
  latency   = "1ms"
  origin    = database.db
}

database "db" {
  engine       = "postgres"
  capacity_rps = 1000
  latency      = "5ms"
}

flow "read" {
  entry = client.web
  op    = "read"
}
