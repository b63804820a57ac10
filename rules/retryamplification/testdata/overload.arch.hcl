# Two retrying layers (client.web → service.a and service.a → service.b,
# 3 × 3 = 9×). The chain ends at service.b: 9 × 0.1 = 0.9 < 1, a warning.
# service.c, called without retries, sees 9× too: 9 × 0.2 = 1.8, an error at
# its capacity_rps. service.a sees 3× from one layer: not reported.
system "overload" {}

client "web" {
  rps = 200
  call {
    to      = service.a
    retries = 2
  }
}

service "a" {
  capacity_rps = 2000
  call {
    to      = service.b
    retries = 2 # want "retry-amplification" "^worst-case retry amplification = .2 \\+ 1. × .2 \\+ 1. = 9× along client.web → service.a → service.b; at 9 × 200 rps = 1800 rps, service.b's utilization = 9 × 0.1 = 0.9 < 1$"
  }
}

service "b" {
  capacity_rps = 2000
  call {
    to = service.c
  }
}

service "c" {
  capacity_rps = 1000 # want "retry-amplification" "^worst-case retry amplification = .2 \\+ 1. × .2 \\+ 1. = 9× along client.web → service.a → service.b → service.c; at 9 × 200 rps = 1800 rps, service.c's utilization = 9 × 0.2 = 1.8 ≥ 1$"
}
