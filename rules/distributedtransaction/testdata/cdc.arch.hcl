# Change data capture: the database publishes its own commit log to the
# queue, so the event commits with the row: one write, no finding. The
# twin (cdc_app) publishes from the service: two writes.
system "cdc" {}

client "web" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.api
  }
}

client "app" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.app
  }
}

service "api" {
  call {
    to = database.users
    op = "write"
  }
}

service "app" {
  call {
    to = database.users
    op = "write"
  }
  call {
    to   = queue.changes
    op   = "write"
    mode = "async"
  }
}

database "users" {
  engine = "mysql"
  call {
    to   = queue.changes
    op   = "write"
    mode = "async"
  }
}

queue "changes" {
  engine = "kafka"
}

service "cache_invalidator" {
  consume {
    from = queue.changes
  }
}

flow "update" {
  entry = client.web
  op    = "write"
}

flow "cdc_app" { # want "distributed-transaction" "^flow \"cdc_app\" writes 2 stores in one request with no transaction: database.users and queue.changes"
  entry = client.app
  op    = "write"
}
