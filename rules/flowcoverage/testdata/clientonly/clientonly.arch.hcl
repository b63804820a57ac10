system "shop" {} # want "flow-coverage" "^the design has no flow: no user path is defined, so the failures of its 1 components are not checked against any flow$"

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {}
