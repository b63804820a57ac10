# With an rpo above zero, a write_back cache is fine when it flushes within
# the rpo, and reported when nothing bounds its flushes.
system "flush" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = cache.metrics
    op = "write"
  }
  call {
    to = cache.events
    op = "write"
  }
}

cache "metrics" {
  engine         = "redis"
  strategy       = "write_back"
  flush_interval = "5s"
  origin         = database.tsdb
}

cache "events" {
  engine   = "redis"
  strategy = "write_back"  # want "durability" "^cache.events is write_back: a cache failure loses the acknowledged writes not yet written to database.tsdb, but flow .ingest. has rpo = .10s.$"
  origin   = database.tsdb
}

database "tsdb" {
  engine = "postgres"
}

flow "ingest" {
  entry = client.web
  op    = "write"
  slo {
    rpo = "10s"
  }
}
