# A global limit equal to what the tier behind it carries (300 rps =
# 100 rps / 0.333333; in floating point 299.99999999999994) is not above it:
# no finding, where one once printed "rate_limit 300 rps (global) > 300 rps".
system "atcapacity" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  rate_limit {
    rate = 300
    per  = "global"
  }
  call {
    to = service.back
  }
}

service "back" {
  replicas     = 3
  capacity_rps = 100
}

# Three tiers of 7 instances of 300 rps carry 2100 rps; with 1400 rps
# arriving (utilization 0.666667), a limit of 2100.5 rps is above it by half
# a request per second, and says so with the digits that show it.
client "jobs" {
  rps = 1400
  call {
    to = service.gate
  }
}

service "gate" {
  rate_limit {
    rate = 2100.5 # want "rate-limit" "^rate_limit 2100.5 rps .global. > 2100 rps = 1400 rps / 0.666667, the rate at which service.worker behind it"
    per  = "global"
  }
  call {
    to = service.worker
  }
}

service "worker" {
  replicas     = 7
  capacity_rps = 300
}
