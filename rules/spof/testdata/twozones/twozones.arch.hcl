# Two instances in zones a and b (SCRAM's TwoTrain): no single point of
# failure; a single-instance dependency beside them is one, and so is the
# zone it is placed in.
system "twozones" {}

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
    to = service.auth
  }
}

service "auth" {  # want "spof" "^losing the only instance of service.auth leaves service.auth 0 of 1 instances; it needs 1 .flows: client.web.$"
  zones = ["a"]  # want "spof" "^losing zone .a. leaves service.auth 0 of 1 instances; it needs 1 .flows: client.web.$"
}
