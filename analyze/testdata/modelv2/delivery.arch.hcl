# Asynchronous delivery, computed by hand in delivery_test.go: 800 msg/s
# through a queue to 2 instances of 2 workers at 250 msg/s (an M/M/4 of
# μ = 250, ρ = 0.8). Every tier else is a fixed delay.
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

flow "deliver" {
  entry   = client.c
  op      = "write"
  through = queue.q
  slo {
    under = ["zone"]
  }
}
