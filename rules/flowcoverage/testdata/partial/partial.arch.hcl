system "shop" {} # want "flow-coverage" "^2 of 3 components are on no flow: their failures are not checked .service.orders, database.orders.; 1 more are off flows by their role$"

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
}

service "tracing" {
  role = "telemetry"
}

service "orders" {
  call {
    to = database.orders
  }
}

database "orders" {
  engine = "postgres"
}

flow "browse" {
  entry = client.web
}
