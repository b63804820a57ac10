# ORACLES: a gateway limit of 12000 rps in front of a 10000 rps tier (10 ×
# 1000 rps, at 0.8 under 8000 rps): the limit does not protect the tier.
system "limits" {}

client "web" {
  rps = 8000
  call {
    to = gateway.edge
  }
}

gateway "edge" {
  rate_limit {
    rate = 12000 # want "rate-limit" "^rate_limit 12000 rps .global. > 10000 rps = 8000 rps / 0.8, the rate at which service.api behind it reaches utilization 1: the limit does not protect it$"
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
