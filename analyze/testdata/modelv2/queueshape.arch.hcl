# ORACLES.md, "Model v2": 800 rps on one instance with capacity_rps = 1000
# and latency = "1.4ms" is never a queue of 1 server × 1.4 ms (714 rps).
system "queueshape" {}

client "c" {
  rps = 800
  call {
    to = service.s
  }
}

service "s" {
  capacity_rps = 1000
  latency      = "1.4ms"
}
