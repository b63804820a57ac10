# A product page that calls search and a recommendation service
# synchronously with no breaker or fallback: each takes the page down. The
# recommendation service's own database goes with it: degrading gives back
# both: A = 0.999^4 without, 0.999^2 with (twins.arch.hcl has the clean
# twins).
system "shop" {}

client "web" {
  rps = 100
  call {
    to = service.page
  }
}

service "page" {
  replicas     = 2
  availability = 0.9999
  call {
    to = database.products
    op = "read"
  }
  call { # want "circuit-breaker" "^service.page calls search.products \\(a search\\) synchronously, required, with no circuit_breaker or fallback: its failure takes down flow \"browse\" along client.web → service.page → search.products; degrading instead gives back availability 0.996006 → 0.997003$"
    to = search.products
    op = "read"
  }
  call { # want "circuit-breaker" "^service.page calls service.recommendations \\(an enhancement \\(its name has \"recommend\"\\)\\) synchronously, required, with no circuit_breaker or fallback: its failure takes down flow \"browse\" along client.web → service.page → service.recommendations; degrading instead gives back availability 0.996006 → 0.998001$"
    to = service.recommendations
    op = "read"
  }
}

service "recommendations" {
  call {
    to = database.reco
    op = "read"
  }
}

database "products" {
  engine = "postgres"
}

database "reco" {
  engine = "cassandra"
}

search "products" {
  engine = "elasticsearch"
}

flow "browse" {
  entry = client.web
  op    = "read"
}
