# max_utilization from the component, else from system.defaults; two clients.
system "limits" {
  defaults {
    max_utilization = 0.5
  }
}

client "web" {
  rps = 600
  call {
    to = service.api
  }
}

client "mobile" {
  rps = 200
  call {
    to = service.search
  }
}

service "api" {
  replicas     = 10
  capacity_rps = 100  # want "capacity" "^utilization = 600 rps / .10 × 100 rps. = 0.6 > 0.5; the design carries at most 1.667 × the declared rates .client.web 1000 rps, client.mobile 333.333 rps. .bottleneck: service.api.$"
  call {
    to = service.ledger
  }
}

service "ledger" {
  replicas        = 2
  capacity_rps    = 1000  # want "capacity" "^utilization = 600 rps / .2 × 1000 rps. = 0.3 > 0.2; .*bottleneck: service.api"
  max_utilization = 0.2
}

# 200 rps / 400 rps = 0.5: over the system's 0.5? No: not above it. Under its own 0.9.
service "search" {
  replicas        = 4
  capacity_rps    = 100
  max_utilization = 0.9
}
