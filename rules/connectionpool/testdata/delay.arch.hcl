# Without capacity_rps a database is a pure delay: 3000 rps × 50 ms = 150
# requests in flight on its one instance, over max_connections 100. The
# second database holds 3000 × 20 ms = 60, under its 100.
system "delay" {}

client "web" {
  rps = 3000
  call {
    to = database.reports
  }
  call {
    to = database.fast
  }
}

database "reports" {
  engine          = "mysql"
  latency         = "50ms"
  max_connections = 100 # want "connection-pool" "^in-flight = 3000 rps × 50 ms = 150 per instance of database.reports primary > max_connections 100$"
}

database "fast" {
  engine          = "mysql"
  latency         = "20ms"
  max_connections = 100
}
