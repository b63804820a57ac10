# A flow through four services in a design with no tracing component (one
# more than max_services = 3: reported, on the system block), and a flow
# through exactly three (the threshold: not reported, nor named). The
# metrics component is telemetry, not tracing.
system "shop" {} # want "tracing" "^1 flow crosses more than 3 services \\(checkout: gateway.edge, service.orders, service.payments, service.ledger\\), and the design has no tracing component: a slow or failed request cannot be followed across them$"

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

service "metrics" {
  role  = "telemetry"
  image = "prom/prometheus:v2.53.0"
}

flow "checkout" {
  entry = client.web
  op    = "write"
}

flow "browse" {
  entry = client.web
  op    = "read"
}
