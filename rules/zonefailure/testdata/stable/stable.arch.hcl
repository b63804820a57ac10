# Statically stable: 18 instances over 3 zones keep 12 after losing one, and
# 12 carry 10000 rps at utilization 0.833 (15 would keep 10, at exactly
# utilization 1: not up). 13 instances would not.
system "stable" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "web" {
  rps = 10000
  call {
    to = service.api
  }
  call {
    to = service.edge
  }
}

service "api" {
  replicas     = 18
  zones        = ["a", "b", "c"]
  capacity_rps = 1000
}

service "edge" {
  replicas     = 13  # want "zone-failure-capacity" "^losing zone .a. leaves service.edge 8 of 13 instances at 1250 rps each: utilization = 10000 rps / .8 × 1000 rps. = 1.25 ≥ 1 .also zone .b.: 1.111, zone .c.: 1.111.$"
  zones        = ["a", "b", "c"]
  capacity_rps = 1000
}
