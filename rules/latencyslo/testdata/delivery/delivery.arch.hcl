# A delivery flow (through a queue to its consumers) whose p99 holds with
# every worker up (8 workers at 250 msg/s for 800 msg/s: ρ = 0.4) but not
# with a zone lost (4 workers: ρ = 0.8, a wait p99 of 20.4 ms on 8 ms of delays).
system "delivery" {
  defaults {
    availability = 0.999
  }
}

region "r" {
  zones = ["a", "b"]
}

client "c" {
  rps        = 800
  read_ratio = 0
  call {
    to = service.api
  }
}

service "api" {
  replicas = 2
  zones    = ["a", "b"]
  latency  = "5ms"
  call {
    to   = queue.q
    op   = "write"
    mode = "async"
  }
}

queue "q" {
  latency = "2ms"
}

service "worker" {
  replicas = 2
  zones    = ["a", "b"]
  latency  = "1ms"
  consume {
    from    = queue.q
    workers = 4
    rate    = 250
  }
}

flow "deliver" { # want "latency-slo" "^flow .deliver. with zone a lost: latency_p99 = 28.4419 ms > 20 ms; also above with zone b lost: latency_p99 28.4419 ms$" "latency-slo" "^flow .deliver.: latency_mean = 5 ms \\(service.api\\) \\+ 2 ms \\(queue.q\\) \\+ 0.0154 ms \\(wait for service.worker.s workers\\) \\+ 1 ms \\(service.worker\\) = 8.0154 ms > 8 ms$"
  entry   = client.c
  op      = "write"
  through = queue.q
  slo {
    latency_mean = "8ms"
    latency_p99  = "20ms"
    under        = ["zone"]
  }
}
