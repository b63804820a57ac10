# No flow blocks: each client is a flow, held to the system's objective.
system "noflows" {
  defaults {
    availability = 0.99
  }
  slo {
    availability = 0.999
  }
}

client "web" {  # want "availability-slo" "^flow .client.web.: availability = 0.99 .service.api. = 0.99 < 0.999$"
  rps = 100
  call {
    to = service.api
  }
}

client "batch" {
  rps = 10
  call {
    to = service.jobs
  }
}

service "api" {}

service "jobs" {
  replicas = 2
}
