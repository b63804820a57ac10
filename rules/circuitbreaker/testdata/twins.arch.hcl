# The clean twins of cascade.arch.hcl: search behind a circuit breaker, a
# third party read with a fallback, recommendations marked not required.
# Near the line: a required write to the search index (the flow exists to
# make it, so it cannot degrade) and a required read of a plain service.
system "shop" {}

client "web" {
  rps        = 100
  read_ratio = 0.5
  call {
    to = service.page
  }
}

service "page" {
  call {
    to              = search.products
    op              = "read"
    circuit_breaker = true
  }
  call {
    to       = external.reviews
    op       = "read"
    fallback = cache.reviews
  }
  call {
    to       = service.recommendations
    op       = "read"
    required = false
  }
  call {
    to = search.products
    op = "write"
  }
  call {
    to = service.inventory
    op = "read"
  }
}

service "recommendations" {}

service "inventory" {}

cache "reviews" {
  engine = "redis"
}

external "reviews" {}

search "products" {
  engine = "elasticsearch"
}

flow "browse" {
  entry = client.web
}
