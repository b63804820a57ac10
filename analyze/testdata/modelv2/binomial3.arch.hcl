# Visits: the api reads the cache three times per request, each read a miss
# with probability 0.5, so a request reaches the database Binomial(3, 0.5)
# times (0 to 3, variance 0.75), not once plus once more with probability
# 0.5 (variance 0.25): a spread wide enough for the simulation to tell the
# two apart at the p99.
system "binomial3" {}

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
    per_request = 3
    required    = false
  }
}

cache "c" {
  engine    = "redis"
  strategy  = "cache_aside"
  hit_ratio = 0.5
  latency   = "1ms"
  origin    = database.db
}

database "db" {
  engine       = "postgres"
  capacity_rps = 3000
  latency      = "5ms"
}

flow "read" {
  entry = client.web
  op    = "read"
}
