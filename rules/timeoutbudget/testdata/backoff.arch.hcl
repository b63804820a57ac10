# Backoff counts: 3 tries × 200 ms + 2 × 100 ms = 800 ms > 700 ms, the
# shortest of the two callers' timeouts. One try alone longer than the
# caller's timeout points at the timeout (service.search's 1 s, and
# service.other's 2 s under client.web's 900 ms).
system "backoff" {}

client "web" {
  rps = 100
  call {
    to      = service.api
    timeout = "700ms"
  }
  call {
    to      = service.other
    timeout = "900ms"
  }
}

service "other" {
  call {
    to      = service.api
    timeout = "2s" # want "timeout-budget" "^service.other calls service.api with 1 try × 2000 ms = 2000 ms > 900 ms, the timeout of client.web → service.other"
  }
}

service "api" {
  call {
    to      = service.search
    timeout = "200ms"
    retries = 2 # want "timeout-budget" "^service.api calls service.search with 3 tries × 200 ms \\+ 2 × 100 ms backoff = 800 ms > 700 ms, the timeout of client.web → service.api: the caller gives up before the tries end$"
    backoff = "100ms"
  }
}

service "search" {
  call {
    to      = database.index
    timeout = "1s" # want "timeout-budget" "^service.search calls database.index with 1 try × 1000 ms = 1000 ms > 200 ms, the timeout of service.api → service.search: the caller gives up before the tries end$"
  }
}

database "index" {
  engine  = "postgres"
  latency = "5ms"
}
