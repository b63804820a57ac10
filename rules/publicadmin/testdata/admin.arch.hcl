# Admin and telemetry endpoints the internet reaches, and their clean twins.
#
# Positive: the load balancer routes to the admin console; the metrics
# collector is published with public = true. Clean twins: the tracing
# collector that the private api reports to, and the config server that only
# the api reads. Near the threshold: the gateway (dmz) that reports to the
# service registry makes the registry reachable, while the same registry
# would be private behind the api alone.
system "ops" {}

client "web" {
  rps = 100
  call {
    to = load_balancer.edge
  }
}

load_balancer "edge" {
  call {
    to = service.api
  }
  call {
    to = service.console
  }
}

service "console" {
  role = "admin" # want "public-admin" "^service.console \\(role admin\\) is reachable from the internet with no private tier between: client.web → load_balancer.edge → service.console$"
}

service "metrics" {
  role   = "telemetry"
  public = true # want "public-admin" "^service.metrics \\(role telemetry\\) is in trust zone dmz: the internet reaches it directly$"
}

service "api" {
  call {
    to = service.tracing
  }
  call {
    to = service.config
  }
}

service "tracing" {
  role = "telemetry"
}

service "config" {
  role = "config"
}

gateway "partners" {
  call {
    to = service.registry
  }
}

service "registry" {
  role = "discovery" # want "public-admin" "^service.registry \\(role discovery\\) is reachable from the internet with no private tier between: gateway.partners → service.registry$"
}

# A trace collector bought as a service is on the internet by nature: its
# endpoint is the vendor's to protect, not the design's (no finding).
external "honeycomb" {
  role = "tracing"
}
