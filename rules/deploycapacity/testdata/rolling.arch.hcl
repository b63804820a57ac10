# Rolling updates against the load. Each client sends 6000 rps to a tier
# of 1000 rps instances (max_utilization 0.8):
#   api:   9 instances, max_unavailable 3: 6 left carry 6000 rps at
#          utilization 1: the deployment is an outage (error);
#   web:   9 instances, max_unavailable 2: 7 left at 0.857 > 0.8 (warning);
#   blue:  the clean twin of web: max_unavailable 0, max_surge 2;
#   zoned: 12 over three zones, max_unavailable 2: 10 left at 0.6, but with
#          a zone lost 8 − 2 = 6 at 1 (warning);
#   near:  the same with max_unavailable 1: 7 left with a zone lost, 0.857
#          (just under 1: not reported).
system "deploys" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "api_users" {
  rps = 6000
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 9
  capacity_rps = 1000
  deploy {
    max_unavailable = 3 # want "deploy-capacity" "^a rolling update of service.api with max_unavailable = 3 keeps 6 of 9 instances: utilization = 6000 rps / \\(\\(9 − 3\\) × 1000 rps\\) = 1 ≥ 1: the deployment itself is an outage \\(the load needs 7\\)$"
  }
}

client "web_users" {
  rps = 6000
  call {
    to = service.web
  }
}

service "web" {
  replicas     = 9
  capacity_rps = 1000
  deploy {
    max_unavailable = 2 # want "deploy-capacity" "^a rolling update of service.web with max_unavailable = 2 keeps 7 of 9 instances: utilization = 6000 rps / \\(\\(9 − 2\\) × 1000 rps\\) = 0.857 > 0.8: every deployment runs the tier degraded$"
  }
}

client "blue_users" {
  rps = 6000
  call {
    to = service.blue
  }
}

service "blue" {
  replicas     = 9
  capacity_rps = 1000
  deploy {
    max_unavailable = 0
    max_surge       = 2
  }
}

client "zoned_users" {
  rps = 6000
  call {
    to = service.zoned
  }
}

service "zoned" {
  replicas     = 12
  capacity_rps = 1000
  zones        = ["a", "b", "c"]
  deploy {
    max_unavailable = 2 # want "deploy-capacity" "^a rolling update of service.zoned with max_unavailable = 2 keeps 10 of 12 instances, enough with everything up \\(utilization 0.6\\), but a deployment during a zone loss is an outage; with zone a lost, utilization = 6000 rps / \\(\\(8 − 2\\) × 1000 rps\\) = 1 ≥ 1$"
  }
}

client "near_users" {
  rps = 6000
  call {
    to = service.near
  }
}

service "near" {
  replicas     = 12
  capacity_rps = 1000
  zones        = ["a", "b", "c"]
  deploy {
    max_unavailable = 1
  }
}
