# Negative cases: budgets that shrink down the chain (2 tries × 200 ms + 50 ms
# = 450 ms ≤ 500 ms), an async call with a long timeout, and calls without
# timeouts.
system "sound" {}

client "web" {
  rps = 100
  call {
    to      = service.api
    timeout = "500ms"
  }
}

service "api" {
  call {
    to      = database.main
    timeout = "200ms"
    retries = 1
    backoff = "50ms"
  }
  call {
    to      = service.mailer
    mode    = "async"
    timeout = "30s"
  }
  call {
    to = service.audit
  }
}

service "mailer" {
  latency = "1s"
}

service "audit" {
  call {
    to      = database.main
    timeout = "10s"
  }
}

database "main" {
  engine  = "postgres"
  latency = "5ms"
}
