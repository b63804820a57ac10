# Public entries with and without authentication.
#
# Positive: service.shop behind the load balancer states no auth; the
# webhook receiver published with public = true has auth = "none".
# Clean twins: the gateway that takes OAuth2 tokens (the service behind it
# is not an entry), the partners' API with mTLS. Near the threshold: the
# same service behind the CDN and the load balancer is reported once, and
# the anonymous catalogue keeps auth = "none" with a suppression.
system "entries" {}

client "web" {
  rps = 100
  call {
    to = cdn.edge
  }
  call {
    to = gateway.api
  }
}

client "partners" {
  rps = 10
  call {
    to = service.partner_api
  }
  call {
    to = service.catalog
  }
}

cdn "edge" {
  call {
    to = load_balancer.lb
  }
}

load_balancer "lb" {
  call {
    to = service.shop
  }
}

service "shop" {} # want "public-auth" "^service.shop is a public entry \\(client.web → cdn.edge → load_balancer.lb → service.shop\\) and states no auth: anyone on the internet can call it$"

gateway "api" {
  auth = "oauth2"
  call {
    to = service.orders
  }
}

service "orders" {}

service "partner_api" {
  auth = "mtls"
}

service "webhooks" {
  public = true
  auth   = "none" # want "public-auth" "^service.webhooks is a public entry \\(the internet → service.webhooks \\(public = true\\)\\) and has auth = \"none\": anyone on the internet can call it$"
}

service "catalog" {
  # archform:ignore public-auth -- the catalogue is public on purpose
  auth = "none"
}
