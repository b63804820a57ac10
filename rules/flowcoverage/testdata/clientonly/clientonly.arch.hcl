system "shop" {} # want "flow-coverage" "^the design declares no flow: each client's traffic is analysed as a flow of its own .client.web., but with no SLO its 1 component.s availability and latency are not checked against any objective$"

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {}
