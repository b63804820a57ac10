# Negative cases: consumers with headroom, a week's retention and a deep
# queue hold a 10 minute outage; workers match the partitions; a consumer
# without a rate is not checked; a queue nobody writes to.
system "sound" {}

client "web" {
  rps        = 1000
  read_ratio = 0
  call {
    to = queue.orders
    op = "write"
  }
}

queue "orders" {
  engine     = "kafka"
  partitions = 8
  retention  = "7d"
  max_depth  = 10000000
}

service "fulfil" {
  replicas = 2
  consume {
    from    = queue.orders
    workers = 4
    rate    = 200
  }
}

service "unrated" {
  consume {
    from    = queue.orders
    workers = 8
  }
}

queue "quiet" {
  engine = "sqs"
}

service "listener" {
  consume {
    from = queue.quiet
    rate = 10
  }
}
