# Retries without a stable fixed point (backend); the same call with a
# timeout that the callee's sojourn seldom passes, whose collapsed state (3
# tries per call: 2400 rps on 1000) holds itself up (calm: metastable; the
# simulation in analyze/des_test.go collapses into it); and the clean twins
# near the threshold, where 3 tries per call fit (steady: 2400 rps on 2600)
# or just do not (tight: 2400 rps on 2300).
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
    retries = 2  # want "retry-storm" "^retries of the call to service.calm make a metastable design: it runs at utilization 0.81 with 1.013 tries per call, but once a slow moment makes its tries time out .sojourn > 30 ms., 3 tries per call put it at utilization 2.4 ≥ 1, where every try keeps timing out$"
  }
  call {
    to      = service.steady
    timeout = "30ms"
    retries = 2
  }
  call {
    to      = service.tight
    timeout = "30ms"
    retries = 2  # want "retry-storm" "^retries of the call to service.tight make a metastable design: it runs at utilization 0.349 with 1.003 tries per call, but once a slow moment makes its tries time out .sojourn > 30 ms., 3 tries per call put it at utilization 1.043 ≥ 1, where every try keeps timing out$"
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

service "steady" {
  capacity_rps = 2600
  latency      = "5ms"
}

service "tight" {
  capacity_rps = 2300
  latency      = "5ms"
}
