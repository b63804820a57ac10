# At-least-once delivery into consumers: one that writes and is not
# idempotent is reported; an idempotent one, one with no side effects, and one
# on an at-most-once queue are not.
system "consumers" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = queue.orders
    op = "write"
  }
  call {
    to = queue.clicks
    op = "write"
  }
  call {
    to = queue.pings
    op = "write"
  }
}

queue "orders" {
  engine   = "sqs"
  delivery = "at_least_once"
}

# kafka delivers at least once by default
queue "clicks" {
  engine = "kafka"
}

queue "pings" {
  engine   = "nats"
  delivery = "at_most_once"
}

service "fulfil" {
  consume {  # want "idempotency" "^service.fulfil consumes queue.orders, which delivers at least once .delivery = .at_least_once.., but is not idempotent: a redelivered message repeats its writes to database.orders$"
    from    = queue.orders
    workers = 4
  }
  call {
    to = database.orders
    op = "write"
  }
}

service "ledger" {
  consume {
    from       = queue.orders
    idempotent = true
  }
  call {
    to = database.orders
    op = "write"
  }
}

service "counter" {
  consume {
    from       = queue.clicks
    idempotent = false  # want "idempotency" "^service.counter consumes queue.clicks, which delivers at least once .kafka delivers at least once by default., but is not idempotent: a redelivered message repeats its writes to database.orders$"
  }
  call {
    to = database.orders
  }
}

service "viewer" {
  consume {
    from = queue.clicks
  }
  call {
    to = database.orders
    op = "read"
  }
}

service "pinger" {
  consume {
    from = queue.pings
  }
  call {
    to = database.orders
    op = "write"
  }
}

database "orders" {
  engine = "postgres"
}
