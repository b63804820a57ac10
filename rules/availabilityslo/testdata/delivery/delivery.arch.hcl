# A delivery flow (through a queue to its consumers): availability =
# 0.999999 × 0.999 × 0.998001 − 0.001999 × 4 (the backlog drain) = 0.989006,
# and 0 with a zone lost (one worker instance drains 500 < 800 msg/s).
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
    workers = 2
    rate    = 250
  }
}

flow "deliver" { # want "availability-slo" "^flow .deliver. with zone a lost: availability = 0 < 0.995; also below with zone b lost: 0$" "availability-slo" "^flow .deliver.: availability = 0.999999 \\(service.api 1-of-2\\) × 0.999 \\(queue.q\\) × 0.998001 \\(service.worker 2-of-2\\) − 0.007996 \\(service.worker.s backlog drain: \\(1 − 0.998001\\) × 0.8 / \\(1 − 0.8\\)\\) = 0.989006 < 0.995$"
  entry   = client.c
  op      = "write"
  through = queue.q
  slo {
    availability = 0.995
    under        = ["zone"]
  }
}
