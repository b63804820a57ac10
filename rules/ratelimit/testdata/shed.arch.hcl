# A global limit of 8000 rps under 10000 rps of declared traffic sheds 20%.
# A per-IP limit whose callers are known (4 instances of service.batch):
# 100 rps × 4 = 400 rps under 600 rps sheds a third.
system "shed" {}

client "web" {
  rps = 10000
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 20
  capacity_rps = 1000
  rate_limit {
    rate = 8000 # want "rate-limit" "^rate_limit 8000 rps .global. < 10000 rps arriving at service.api: it sheds 1 − 8000 / 10000 = 20% of requests$"
    per  = "global"
  }
}

client "jobs" {
  rps = 600
  call {
    to = service.batch
  }
}

service "batch" {
  replicas = 4
  call {
    to = service.reports
  }
}

service "reports" {
  rate_limit {
    rate = 100 # want "rate-limit" "^rate_limit 100 rps × 4 IPs .per ip. = 400 rps < 600 rps arriving at service.reports: it sheds 1 − 400 / 600 = 33.3333% of requests$"
    per  = "ip"
  }
}
