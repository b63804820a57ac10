# service.api at utilization 0.75 as one M/M/1 queue of 10 ms service time:
# its p99 sojourn is 10 ms × 4 × ln 100 = 184.207 ms (the partner adds a
# trace of load). A 100 ms timeout is under it; a 250 ms timeout is not.
system "p99" {}

client "web" {
  rps = 75
  call {
    to      = service.api
    timeout = "100ms" # want "timeout-budget" "^timeout 100 ms < p99 latency 184.207\\d ms of service.api: more than 1% of calls from client.web time out$"
  }
}

client "partner" {
  rps = 0.0001
  call {
    to      = service.api
    timeout = "250ms"
  }
}

service "api" {
  capacity_rps = 100
  latency      = "10ms"
}
