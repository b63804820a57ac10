# A cache in front of a service (not a database): without the cache, the
# service's own instances take every read.
system "service" {}

client "web" {
  rps = 1000
  call {
    to       = cache.pages
    op       = "read"
    required = false
  }
}

cache "pages" {
  hit_ratio = 0.9
  origin    = service.render
}

service "render" {
  replicas     = 2
  capacity_rps = 200  # want "cache-failure-capacity" "^with cache.pages down, service.render's instances take 500 rps each: utilization = 1000 rps / .2 × 200 rps. = 2.5 ≥ 1$"
}
