# A per-client limit whose callers are two internal services: 2 clients ×
# 400 rps = 800 rps < 1000 rps, a fifth shed. The same limit per IP counts
# the callers' 6 instances: 2400 rps, no finding.
system "perclient" {}

client "a" {
  rps = 500
  call {
    to = service.x
  }
}

client "b" {
  rps = 500
  call {
    to = service.y
  }
}

service "x" {
  replicas = 3
  call {
    to = service.store
  }
  call {
    to = service.index
  }
}

service "y" {
  replicas = 3
  call {
    to = service.store
  }
  call {
    to = service.index
  }
}

service "store" {
  rate_limit {
    rate = 400 # want "rate-limit" "^rate_limit 400 rps × 2 clients .per client. = 800 rps < 1000 rps arriving at service.store: it sheds 1 − 800 / 1000 = 20% of requests$"
    per  = "client"
  }
}

service "index" {
  rate_limit {
    rate = 400
    per  = "ip"
  }
}
