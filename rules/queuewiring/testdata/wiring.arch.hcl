# A queue nobody consumes, a consumer of a queue nobody writes, and their
# clean twins: a queue with a producer and a consumer, and a dead-letter
# queue written by its parent queue.
system "orders" {}

client "web" {
  rps        = 100
  read_ratio = 0
  call {
    to = service.api
  }
}

service "api" {
  call {
    to   = queue.events
    op   = "write"
    mode = "async"
  }
  call {
    to   = queue.orders
    op   = "write"
    mode = "async"
  }
}

queue "events" { # want "queue-wiring" "^queue.events is written to by service.api, but no component consumes it: its backlog grows by 100 messages/s = 8640000 a day, without bound$"
  engine = "kafka"
}

queue "orders" {
  engine      = "kafka"
  dead_letter = queue.orders_dlq
}

queue "orders_dlq" {
  engine = "kafka"
}

queue "refunds" {
  engine    = "kafka"
  retention = "24h"
}

service "worker" {
  consume {
    from = queue.orders
  }
  consume {
    from = queue.orders_dlq
  }
  consume { # want "queue-wiring" "^service.worker consumes queue.refunds, which no component writes to: its workers wait for messages that never come$"
    from = queue.refunds
  }
}
