# ORACLES: per-try 500 ms, retries = 3, caller timeout 1000 ms → 4 tries ×
# 500 ms = 2000 ms > 1000 ms.
system "timeouts" {}

client "web" {
  rps = 100
  call {
    to = service.front
  }
}

service "front" {
  call {
    to      = service.api
    timeout = "1000ms"
  }
}

service "api" {
  call {
    to      = database.orders
    timeout = "500ms"
    retries = 3 # want "timeout-budget" "^service.api calls database.orders with 4 tries × 500 ms = 2000 ms > 1000 ms, the timeout of service.front → service.api: the caller gives up before the tries end$"
  }
}

database "orders" {
  engine  = "postgres"
  latency = "5ms"
}
