# Every tier on the path declares capacity_rps; a component off every path
# (no flow reaches it) is not reported either.
system "sized" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  capacity_rps = 1000
}

service "unused" {}
