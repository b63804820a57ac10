system "s" {}

locals {
  zones = ["a", "b"]
  count = length(local.zone)
}

service "api" {
  replicas = local.count
}
