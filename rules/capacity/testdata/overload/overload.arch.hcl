# A tier at utilization 1.5 is an error; the bottleneck limits the entry rate.
system "overload" {}

client "web" {
  rps = 300
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 2
  capacity_rps = 100  # want "capacity" "^utilization = 300 rps / .2 × 100 rps. = 1.5 ≥ 1; the design carries at most 0.666667 × 300 rps = 200 rps from client.web .bottleneck: service.api.$"
  call {
    to = database.main
  }
}

database "main" {
  engine       = "postgres"
  capacity_rps = 1000
}
