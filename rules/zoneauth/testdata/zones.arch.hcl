# Service-to-service calls across trust zones.
#
# Positive: the gateway (dmz) calls service.orders (private), which states
# no auth; service.reports (private) is called from the partner gateway
# (dmz) and has auth = "none". Clean twins: service.payments takes mTLS,
# service.profile a JWT the gateway forwards; service.stock is called only
# from its own zone. Near the threshold: service.search is called from its
# own zone and from the dmz; only the dmz caller is named.
system "zones" {}

client "web" {
  rps = 100
  call {
    to = gateway.api
  }
}

gateway "api" {
  auth = "oauth2"
  call {
    to = service.orders
  }
  call {
    to = service.payments
  }
  call {
    to = service.profile
  }
  call {
    to = service.search
  }
}

gateway "partners" {
  auth = "api_key"
  call {
    to = service.reports
  }
}

service "orders" { # want "zone-auth" "^service.orders \\(trust zone private\\) is called from another trust zone by gateway.api \\(dmz\\) and states no auth: neither mTLS nor a token establishes who calls$"
  call {
    to = service.stock
  }
  call {
    to = service.search
  }
}

service "payments" {
  auth = "mtls"
}

service "profile" {
  auth = "jwt"
}

service "stock" {}

service "search" {} # want "zone-auth" "^service.search \\(trust zone private\\) is called from another trust zone by gateway.api \\(dmz\\) and states no auth"

service "reports" {
  auth = "none" # want "zone-auth" "^service.reports \\(trust zone private\\) is called from another trust zone by gateway.partners \\(dmz\\) and has auth = \"none\""
}
