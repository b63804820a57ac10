# latency and capacity_rps that cannot both hold for an M/M/c queue: the
# model keeps capacity_rps (c·μ = 1000 rps) and says so.
system "queueshape" {}

client "c" {
  rps = 800
  call {
    to = service.s
  }
}

service "s" {
  capacity_rps = 1000
  latency      = "1.4ms"  # want "capacity" "^latency = 1.4 ms and capacity_rps = 1000 rps cannot both hold: capacity_rps × latency = 1000 × 0.0014 s = 1.4 servers is not a whole number; modelled as 1 server of 1 ms .c·μ = 1 ÷ 1 ms = 1000 rps., not 1 × 1.4 ms .714.286 rps.$"
}

service "ok" {
  capacity_rps = 1000
  latency      = "20ms"
}
