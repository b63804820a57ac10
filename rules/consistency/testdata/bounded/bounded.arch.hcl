# bounded_staleness holds each TTL against max_staleness: a CDN with a 1s
# ttl meets 5s, a cache with a 60s ttl does not; search refreshes every 1s.
system "bounded" {}

client "web" {
  rps = 100
  call {
    to = cdn.static
  }
}

cdn "static" {
  hit_ratio = 0.9
  ttl       = "1s"
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = cache.pages
    op = "read"
  }
  call {
    to = search.products
    op = "read"
  }
}

cache "pages" {
  engine    = "redis"
  strategy  = "cache_aside"
  hit_ratio = 0.5
  ttl       = "60s"  # want "consistency" "^flow .catalog. needs bounded_staleness .5s., but reads through cache.pages .cache_aside, ttl 60s. give only bounded_staleness .60s.$"
  origin    = database.products
}

search "products" {
  engine = "elasticsearch"
}

database "products" {
  engine = "postgres"
}

flow "catalog" {
  entry         = client.web
  op            = "read"
  consistency   = "bounded_staleness"
  max_staleness = "5s"
}
