# slo { under = ["zone"] }: the objective must hold with each zone lost in
# turn. The api needs all 3 of its instances (1500 rps on 3 × 600): with a
# zone lost, 2 × 600 = 1200 rps cannot carry 1500, so the flow is down,
# while it meets its objective with everything up. The batch service keeps
# 2 instances, 1 of which carries its 100 rps: it meets its objective under
# a zone's loss (the clean twin), and so does the edge flow just above its
# objective, while the edge flow with the objective just above the figure
# does not (the case near the threshold).
system "under" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "web" {
  rps = 1500
  call {
    to = service.api
  }
}

client "jobs" {
  rps = 100
  call {
    to = service.batch
  }
}

client "edge" {
  rps = 500
  call {
    to = service.front
  }
}

service "api" {
  replicas     = 3
  zones        = ["a", "b", "c"]
  capacity_rps = 600
  latency      = "10ms"
  availability = 0.999
}

service "batch" {
  replicas     = 3
  zones        = ["a", "b", "c"]
  capacity_rps = 600
  latency      = "10ms"
  availability = 0.999
}

service "front" {
  replicas     = 3
  zones        = ["a", "b", "c"]
  capacity_rps = 600
  latency      = "10ms"
  availability = 0.999
}

flow "pages" { # want "availability-slo" "^flow .pages. with zone a lost: availability = 0 < 0.99; also below with zone b lost: 0, zone c lost: 0$"
  entry = client.web
  slo {
    availability = 0.99
    under        = ["zone"]
  }
}

flow "reports" {
  entry = client.jobs
  slo {
    availability = 0.99
    under        = ["zone"]
  }
}

flow "edge_met" {
  entry = client.edge
  slo {
    availability = 0.9999985
    under        = ["zone"]
  }
}

flow "edge_missed" { # want "availability-slo" "^flow .edge_missed. with zone a lost: availability = 0.999999 < 0.9999995; also below with zone b lost: 0.999999, zone c lost: 0.999999$"
  entry = client.edge
  slo {
    availability = 0.9999995
    under        = ["zone"]
  }
}
