# A dependency and its fallback placed in the same zone: neither instance
# alone is a single point of failure, but their zone is.
system "fallbackzone" {}

region "r1" {
  zones = ["a", "b"]
}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  replicas = 2
  zones    = ["a", "b"]
  call {
    to       = service.pay
    fallback = service.pay_backup
  }
}

service "pay" {
  zones = ["a"]  # want "spof" "^losing zone .a. leaves service.pay 0 of 1 instances; it needs 1, and its fallback service.pay_backup is lost too .flows: client.web.$"
}

service "pay_backup" {
  zones = ["a"]
}
