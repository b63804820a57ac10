# Metastable retries (analyze/des_test.go): 800 rps with a 30 ms timeout and
# 2 retries, on 1000 rps (calm: the collapsed state, 2400 rps, holds itself
# up) and on 2600 rps (steady: it does not).
system "metastable" {}

client "web" {
  rps = 800
  call {
    to = service.api
  }
}

service "api" {
  latency = "1ms"
  call {
    to      = service.calm
    timeout = "30ms"
    retries = 2
  }
  call {
    to      = service.steady
    timeout = "30ms"
    retries = 2
  }
}

service "calm" {
  capacity_rps = 1000
  latency      = "5ms"
}

service "steady" {
  capacity_rps = 2600
  latency      = "5ms"
}
