# A tier that needs every instance it has: losing any one brings it down.
# One finding for the component, not one per instance.
system "full" {}

client "web" {
  rps = 2500
  call {
    to = service.api
  }
}

service "api" {
  replicas     = 3  # want "spof" "^losing any one of 3 instances of service.api leaves service.api 2 of 3 instances; it needs 3 = ⌊2500 rps / 1000 rps⌋ . 1 .flows: client.web.$"
  capacity_rps = 1000
}
