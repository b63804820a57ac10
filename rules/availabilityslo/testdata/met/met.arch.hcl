# Every tier redundant: 1-of-3 at 0.999 is 0.999999999, and the flow meets
# its own objective of 0.9999 (the system's stricter one is overridden).
system "met" {
  slo {
    availability = 0.99999
  }
}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  replicas = 3
  call {
    to = service.auth
  }
}

service "auth" {
  replicas = 3
}

flow "login" {
  entry = client.web
  slo {
    availability = 0.9999
  }
}
