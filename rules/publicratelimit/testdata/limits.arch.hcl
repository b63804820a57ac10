# Public entries with and without a rate limit on the way in.
#
# Positive: service.shop behind a load balancer, neither limited.
# Clean twins: the gateway with its own rate_limit; the service behind a
# load balancer that limits. Near the threshold: service.search is limited
# on one way in (the limiting load balancer) but reached unlimited through
# the CDN, and is reported with that way.
system "limits" {}

client "web" {
  rps = 100
  call {
    to = load_balancer.open
  }
  call {
    to = load_balancer.limited
  }
  call {
    to = gateway.api
  }
  call {
    to = cdn.edge
  }
}

load_balancer "open" {
  call {
    to = service.shop
  }
}

service "shop" {} # want "public-rate-limit" "^service.shop is a public entry with no rate limit on the way in \\(client.web → load_balancer.open → service.shop\\): nothing bounds what one caller can send$"

load_balancer "limited" {
  rate_limit {
    rate = 1000
    per  = "ip"
  }
  call {
    to = service.accounts
  }
  call {
    to = service.search
  }
}

service "accounts" {}

cdn "edge" {
  call {
    to = service.search
  }
}

service "search" {} # want "public-rate-limit" "^service.search is a public entry with no rate limit on the way in \\(client.web → cdn.edge → service.search\\): nothing bounds what one caller can send$"

gateway "api" {
  rate_limit {
    rate = 500
  }
}
