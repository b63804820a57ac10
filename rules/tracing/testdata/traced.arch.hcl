# The clean twin of untraced.arch.hcl: the same four-service flow, in a
# design with a Jaeger collector (role = "telemetry", a known tracer).
system "shop" {}

client "web" {
  rps        = 100
  read_ratio = 0.5
  call {
    to = gateway.edge
  }
}

gateway "edge" {
  call {
    to = service.orders
    op = "write"
  }
  call {
    to = service.catalog
    op = "read"
  }
}

service "orders" {
  call {
    to = service.payments
  }
}

service "payments" {
  call {
    to = service.ledger
  }
}

service "ledger" {}

service "catalog" {
  call {
    to = service.prices
  }
}

service "prices" {}

service "traces" {
  role  = "telemetry"
  image = "jaegertracing/all-in-one:1.57"
}

flow "checkout" {
  entry = client.web
  op    = "write"
}

flow "browse" {
  entry = client.web
  op    = "read"
}
