system "s" {}

region "r1" {
  zones = ["a", "b"]
}

client "web" {
  rps = -5
  call {
    to = service.ap
  }
}

service "api" {
  replicas = 0
  zones    = ["a", "c"]
  latency  = "fast"
  call {
    to   = database.orders
    mode = "blocking"
  }
}
