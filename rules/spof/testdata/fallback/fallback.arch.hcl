# A single-instance dependency with a fallback that carries its load is not
# a single point of failure; a soft dependency whose loss moves no load
# anywhere is not one either. A fallback too small to carry the load does
# not count.
system "fallback" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  replicas = 2
  call {
    to       = external.payments
    fallback = external.payments_backup
  }
  call {
    to       = service.reco
    required = false
  }
  call {
    to       = service.quotes
    fallback = service.quotes_small
  }
}

external "payments" {}

external "payments_backup" {}

service "reco" {}

service "quotes" {  # want "spof" "^losing the only instance of service.quotes leaves service.quotes 0 of 1 instances; it needs 1 .flows: client.web.$"
  capacity_rps = 1000
}

service "quotes_small" {
  capacity_rps = 10
}
