# Two independent parts: the web's api is its own bottleneck, and the
# mobile app's traffic never reaches it. The finding about the mobile
# backend names its own flows' bottleneck (its database) and its own
# client's headroom; only the design's bottleneck, web's api, states what the
# design as a whole carries.
system "groups" {}

client "web" {
  rps = 300
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 2
  capacity_rps = 100 # want "capacity" "^utilization = 300 rps / .2 × 100 rps. = 1.5 ≥ 1; the design carries at most 0.667 × the declared rates .client.web 200 rps, client.mobile 66.6667 rps. .bottleneck: service.api.$"
}

client "mobile" {
  rps = 100
  call {
    to = service.backend
  }
}

service "backend" {
  replicas     = 1
  capacity_rps = 120 # want "capacity" "^utilization = 100 rps / .1 × 120 rps. = 0.833 > 0.8; its flows .client.mobile. carry at most 1.1 × 100 rps = 110 rps from client.mobile .bottleneck: database.store.$"
  call {
    to = database.store
  }
}

database "store" {
  engine       = "postgres"
  capacity_rps = 110 # want "capacity" "^utilization = 100 rps / .1 × 110 rps. = 0.909 > 0.8; its flows .client.mobile. carry at most 1.1 × 100 rps = 110 rps from client.mobile .bottleneck: database.store.$"
}
