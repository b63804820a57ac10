# M/M/1 at λ = 0.75, S = 1 s: mean sojourn 4 s, p99 18.4207 s (ORACLES). The
# flow's mean objective of 3 s and p99 of 10 s are both missed; a second flow
# through a pure delay meets its objectives.
system "slow" {
  slo {
    latency_p99 = "30s"
  }
}

client "batch" {
  rps = 0.75
  call {
    to = service.worker
  }
}

client "web" {
  rps = 10
  call {
    to = service.front
  }
}

service "worker" {
  capacity_rps = 1
  latency      = "1s"
}

service "front" {
  latency = "20ms"
}

flow "jobs" {  # want "latency-slo" "^flow .jobs.: latency_mean = 4000 ms .service.worker. = 4000 ms > 3000 ms; latency_p99 = 18420.6807 ms > 10000 ms$"
  entry = client.batch
  slo {
    latency_mean = "3s"
    latency_p99  = "10s"
  }
}

flow "page" {
  entry = client.web
}
