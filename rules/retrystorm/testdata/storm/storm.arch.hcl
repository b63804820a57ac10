# Retries without a stable fixed point, and the same call with a timeout
# that the callee's sojourn seldom passes.
system "storm" {}

client "web" {
  rps = 800
  call {
    to = service.api
  }
}

service "api" {
  latency = "1ms"
  call {
    to      = service.backend
    timeout = "10ms"
    retries = 2  # want "retry-storm" "^retries of the call to service.backend have no stable fixed point: with one try per call service.backend runs at utilization 0.8, but a try times out with p = P.sojourn > 10 ms. = 1, tries = 1 . p . … . p\\^2 = 3, and at that load service.backend is at utilization 2.4 ≥ 1$"
  }
  call {
    to      = service.calm
    timeout = "30ms"
    retries = 2
  }
}

service "backend" {
  capacity_rps = 1000
  latency      = "5ms"
}

service "calm" {
  capacity_rps = 1000
  latency      = "5ms"
}
