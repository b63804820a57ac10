# Two regions: losing one leaves the other carrying everything.
system "regions" {}

region "east" {
  zones = ["e1", "e2"]
}

region "west" {
  zones = ["w1", "w2"]
}

client "web" {
  rps = 3000
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 8  # want "zone-failure-capacity" "^losing region .east. leaves service.api 4 of 8 instances at 750 rps each: utilization = 3000 rps / .4 × 500 rps. = 1.5 ≥ 1 .also zone .e1.: 1, zone .e2.: 1, zone .w1.: 1, zone .w2.: 1, region .west.: 1.5.$"
  zones        = ["e1", "e2", "w1", "w2"]
  capacity_rps = 500
}
