system "s" {}

client "c" {
  rps = 100
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
}

queue "events" {}

queue "audit" {}

service "worker" {
  consume {
    from = queue.events
  }
}

# Reads never write to the queue.
flow "browse" {
  entry   = client.c
  op      = "read"
  through = queue.events
}

# Nothing consumes queue.audit.
flow "send" {
  entry   = client.c
  op      = "write"
  through = queue.audit
}
