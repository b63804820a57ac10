# One component on no flow (service.audit, behind an async call: the verb
# agrees, "1 of 3 components is"), and two off flows by their role (the
# plural: "2 more are").
system "shop" {} # want "flow-coverage" "^1 of 3 components is on no flow: its failures are not checked \\(service.audit\\); 2 more are off flows by their role$"

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = service.orders
  }
  call {
    to   = service.audit
    op   = "write"
    mode = "async"
  }
}

service "orders" {}

service "audit" {}

service "traces" {
  role = "telemetry"
}

service "registry" {
  role = "discovery"
}

flow "browse" {
  entry = client.web
}
