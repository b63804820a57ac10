# ORACLES: 1000 msg/s in, 1500 out, a 10 minute consumer outage: 600000
# messages, drained in 1200 s. The oldest waits 600 s, beyond a retention of
# 5 minutes. (They overflow max_depth 500000 too: the backpressure rule's
# finding, tested there with the same figures.)
system "backlog" {}

client "web" {
  rps        = 1000
  read_ratio = 0
  call {
    to = queue.jobs
    op = "write"
  }
}

queue "jobs" {
  engine    = "rabbitmq"
  pattern   = "point_to_point"
  max_depth = 500000
  retention = "5m"   # want "queue-capacity" "^after a 600 s consumer outage, backlog = 1000 msg/s × 600 s = 600000 messages .drained in 600000 / .1500 − 1000 msg/s. = 1200 s.; the oldest message waits 600 s > retention 300 s: 300000 messages expire unconsumed$"
}

# Two competing consumers: 2 × 300 + 3 × 300 = 1500 msg/s.
service "small" {
  consume {
    from    = queue.jobs
    workers = 2
    rate    = 300
  }
}

service "large" {
  consume {
    from    = queue.jobs
    workers = 3
    rate    = 300
  }
}
