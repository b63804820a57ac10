# A load balancer forwards its caller's deadline: client.web gives up after
# 800 ms, and the load balancer's own call sets no timeout, so service.api's
# 3 tries × 300 ms = 900 ms outlast client.web's 800 ms. Behind a load
# balancer whose call sets its own timeout (2 s, under its caller's 3 s), that
# timeout counts: 900 ms fit.
system "proxy" {}

client "web" {
  rps = 100
  call {
    to      = load_balancer.edge
    timeout = "800ms"
  }
  call {
    to      = load_balancer.internal
    timeout = "3s"
  }
}

load_balancer "edge" {
  call {
    to = service.api
  }
}

service "api" {
  call {
    to      = database.main
    timeout = "300ms"
    retries = 2 # want "timeout-budget" "^service.api calls database.main with 3 tries × 300 ms = 900 ms > 800 ms, the timeout of client.web → load_balancer.edge → service.api: the caller gives up before the tries end$"
  }
}

load_balancer "internal" {
  call {
    to      = service.batch
    timeout = "2s"
  }
}

service "batch" {
  call {
    to      = database.main
    timeout = "300ms"
    retries = 2
  }
}

database "main" {
  engine  = "postgres"
  latency = "5ms"
}
