# ORACLES: 12 workers on 8 partitions at 200 msg/s each drain 1600 msg/s,
# not 2400: below the producers' 2000 msg/s, an error; 4 workers idle, info.
system "consumers" {}

client "web" {
  rps        = 2000
  read_ratio = 0
  call {
    to = service.api
    op = "write"
  }
}

service "api" {
  call {
    to = queue.events
    op = "write"
  }
}

queue "events" {
  engine     = "kafka"
  partitions = 8 # want "queue-capacity" "^consumers slower than producers: drain = min.12 workers × 1 instance, 8 partitions. × 200 msg/s = 1600 msg/s < 2000 msg/s written to queue.events: the backlog grows by 400 msg/s without bound$"
}

service "worker" {
  consume {
    from    = queue.events
    workers = 12 # want "queue-capacity" "^12 workers × 1 instance = 12 workers > 8 partitions of queue.events: 4 workers idle$"
    rate    = 200
  }
}
