# What queues do when their consumers fall behind. Every queue receives
# 1000 msg/s; the rule's outage is 600 s (its default).
#   slow:        no max_depth, drained at 800 msg/s: grows by 200 msg/s;
#   events:      no max_depth, RabbitMQ with 512Mi of memory: a 600 s outage
#                leaves 600000 × 1 KiB = 585.9 MiB > 512 MiB;
#   events_big:  its clean twin with 1Gi;
#   events_near: 600Mi, just above the 585.9 MiB (not reported);
#   jobs:        max_depth 500000, drop_oldest (the default): the oracle's
#                600000-message backlog overflows by 100000, the oldest lost;
#   orders:      the same with overflow = "reject": the writes fail;
#   exact:       max_depth 600000, the backlog exactly (not reported);
#   tight:       max_depth 100000 drained at 800 msg/s: full in 500 s;
#   log:         the twin of slow on Kafka, which deletes by retention whether
#                or not a message is read: not this rule's (queue-capacity's).
system "queues" {}

client "slow_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.slow_producer
  }
}

service "slow_producer" {
  call {
    to   = queue.slow
    op   = "write"
    mode = "async"
  }
}

queue "slow" { # want "backpressure" "^queue.slow has no max_depth and its consumers drain 800 msg/s < 1000 msg/s written: the backlog grows by 200 msg/s × 1 KiB \\(assumed: message_size is not set\\) = 200 KiB/s with nothing pushing back on the producers; after 600 s, 120000 messages = 117.2 MiB$"
  engine = "rabbitmq"
}

service "slow_worker" {
  consume {
    from = queue.slow
    rate = 800
  }
}

client "events_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.events_producer
  }
}

service "events_producer" {
  call {
    to   = queue.events
    op   = "write"
    mode = "async"
  }
}

queue "events" {
  engine = "rabbitmq"
  resources {
    memory = "512Mi" # want "backpressure" "^queue.events has no max_depth: after a 600 s consumer outage it holds 1000 msg/s × 600 s = 600000 messages × 1 KiB \\(assumed: message_size is not set\\) = 585.9 MiB > its memory \\(resources.memory\\) 512 MiB, with nothing pushing back on the producers$"
  }
}

service "events_worker" {
  consume {
    from = queue.events
    rate = 1500
  }
}

client "events_big_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.events_big_producer
  }
}

service "events_big_producer" {
  call {
    to   = queue.events_big
    op   = "write"
    mode = "async"
  }
}

queue "events_big" {
  engine = "rabbitmq"
  resources {
    memory = "1Gi"
  }
}

service "events_big_worker" {
  consume {
    from = queue.events_big
    rate = 1500
  }
}

client "events_near_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.events_near_producer
  }
}

service "events_near_producer" {
  call {
    to   = queue.events_near
    op   = "write"
    mode = "async"
  }
}

queue "events_near" {
  engine = "rabbitmq"
  resources {
    memory = "600Mi"
  }
}

service "events_near_worker" {
  consume {
    from = queue.events_near
    rate = 1500
  }
}

client "jobs_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.jobs_producer
  }
}

service "jobs_producer" {
  call {
    to   = queue.jobs
    op   = "write"
    mode = "async"
  }
}

queue "jobs" {
  engine    = "rabbitmq"
  max_depth = 500000 # want "backpressure" "^after a 600 s consumer outage, backlog = 1000 msg/s × 600 s = 600000 messages > max_depth 500000: it is full after 500 s, then 100000 messages push the oldest out: deleted unread, with no error to anyone \\(overflow = \"drop_oldest\"\\)$"
}

service "jobs_worker" {
  consume {
    from = queue.jobs
    rate = 1500
  }
}

client "orders_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.orders_producer
  }
}

service "orders_producer" {
  call {
    to   = queue.orders
    op   = "write"
    mode = "async"
  }
}

queue "orders" {
  engine    = "rabbitmq"
  max_depth = 500000 # want "backpressure" "^after a 600 s consumer outage, backlog = 1000 msg/s × 600 s = 600000 messages > max_depth 500000: it is full after 500 s, then 100000 messages are refused: the producers' writes fail \\(overflow = \"reject\"\\)$"
  overflow  = "reject"
}

service "orders_worker" {
  consume {
    from = queue.orders
    rate = 1500
  }
}

client "exact_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.exact_producer
  }
}

service "exact_producer" {
  call {
    to   = queue.exact
    op   = "write"
    mode = "async"
  }
}

queue "exact" {
  engine    = "rabbitmq"
  max_depth = 600000
}

service "exact_worker" {
  consume {
    from = queue.exact
    rate = 1500
  }
}

client "tight_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.tight_producer
  }
}

service "tight_producer" {
  call {
    to   = queue.tight
    op   = "write"
    mode = "async"
  }
}

queue "tight" {
  engine       = "rabbitmq"
  max_depth    = 100000 # want "backpressure" "^queue.tight fills its max_depth 100000 in 100000 / \\(1000 − 800 msg/s\\) = 500 s, then 200 msg/s push the oldest out: deleted unread, with no error to anyone \\(overflow = \"drop_oldest\"\\)$"
  message_size = "2Ki"
}

service "tight_worker" {
  consume {
    from = queue.tight
    rate = 800
  }
}

client "log_src" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.log_producer
  }
}

service "log_producer" {
  call {
    to   = queue.log
    op   = "write"
    mode = "async"
  }
}

queue "log" {
  engine = "kafka"
}

service "log_worker" {
  consume {
    from = queue.log
    rate = 800
  }
}
