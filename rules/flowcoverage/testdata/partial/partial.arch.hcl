# service.orders and its database: nothing reaches them at all, so they are
# unused (one finding each), not merely off every flow. The worker behind
# the queue is reached (by its messages) but on no flow.
system "shop" {} # want "flow-coverage" "^2 of 5 components are on no flow: their failures are not checked .queue.events, service.worker.; 1 more is off flows by its role$"

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = service.tracing
  }
  call {
    to   = queue.events
    op   = "write"
    mode = "async"
  }
}

queue "events" {
  engine = "kafka"
}

service "worker" {
  consume {
    from = queue.events
  }
}

service "tracing" {
  role = "telemetry"
}

service "orders" { # want "flow-coverage" "^service.orders calls database.orders, but nothing reaches it \\(no client, call, consumer, origin or dead letter\\): no flow covers the traffic it sends$"
  call {
    to = database.orders
  }
}

database "orders" { # want "flow-coverage" "^database.orders is unused: no client, call, consumer, origin or dead letter reaches it \\(nothing calls it\\)$"
  engine = "postgres"
}

flow "browse" {
  entry = client.web
}
