# Negative cases: a global limit under what the tiers behind carry (9000 <
# 8000 / 0.8 = 10000) and over the traffic; a per-client limit behind a
# load balancer (the number of clients is unknown); a limit in front of a
# tier that also takes load from elsewhere (its share through the limit
# cannot be scaled alone).
system "sound" {}

client "web" {
  rps = 8000
  call {
    to = gateway.edge
  }
}

gateway "edge" {
  rate_limit {
    rate = 9000
    per  = "global"
  }
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 10
  capacity_rps = 1000
}

client "partners" {
  rps = 5000
  call {
    to = load_balancer.lb
  }
}

load_balancer "lb" {
  call {
    to = gateway.partner
  }
}

gateway "partner" {
  rate_limit {
    rate = 10
    per  = "client"
  }
  call {
    to = service.shared
  }
}

client "internal" {
  rps = 1000
  call {
    to = service.shared
  }
}

service "shared" {
  replicas     = 7
  capacity_rps = 1000
}

client "ops" {
  rps = 10
  call {
    to = gateway.ops
  }
}

gateway "ops" {
  rate_limit {
    rate = 100000
    per  = "global"
  }
  call {
    to = service.shared
  }
}
