# Asynchronous delivery checked against the simulation (des_test.go): the
# api (pooled M/M/8, ρ = 0.75) writes 600 msg/s to a queue (2 ms); one
# consumer of 3 workers at 250 msg/s (an M/M/3 of ρ = 0.8) takes 1 ms per
# message and reads a store (M/M/4, ρ = 0.6) for each.
system "deliverysim" {}

client "c" {
  rps        = 600
  read_ratio = 0
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 2
  capacity_rps = 400
  latency      = "10ms"
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
  latency = "1ms"
  consume {
    from    = queue.q
    workers = 3
    rate    = 250
  }
  call {
    to = service.store
    op = "read"
  }
}

service "store" {
  capacity_rps = 1000
  latency      = "4ms"
}

flow "deliver" {
  entry   = client.c
  op      = "write"
  through = queue.q
}
