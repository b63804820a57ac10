# Traffic across the internet and regions, with and without TLS.
#
# Positive: the browser reaches the load balancer in plaintext; the api in
# us calls the ledger that runs only in eu; the mailer speaks plain SMTP to
# an external (tls = false). Clean twins: the mobile client's call sets tls;
# the api calls the geo service in both of its regions; the payment
# provider (an external) is HTTPS by default. Near the threshold: the api's
# plaintext calls to the database and the search index cross internal trust
# zones only, which this rule leaves to data-protection.
system "traffic" {}

region "us" {
  zones = ["us-a"]
}

region "eu" {
  zones = ["eu-a"]
}

client "browser" {
  rps = 100
  call { # want "plaintext-traffic" "^the call client.browser → load_balancer.edge crosses the internet \\(trust zone public → dmz\\) without TLS$"
    to = load_balancer.edge
  }
}

client "mobile" {
  rps = 100
  call {
    to  = load_balancer.edge
    tls = true
  }
}

load_balancer "edge" {
  zones    = ["us-a", "eu-a"]
  replicas = 2
  call {
    to = service.api
  }
}

service "api" {
  zones    = ["us-a", "eu-a"]
  replicas = 2
  tls      = true
  call { # want "plaintext-traffic" "^the call service.api → service.ledger crosses regions without TLS: service.api runs in us, where service.ledger does not$"
    to = service.ledger
  }
  call {
    to = service.geo
  }
  call {
    to = database.main
  }
  call {
    to = database.profiles
  }
  call {
    to = search.index
  }
}

service "ledger" {
  zones = ["eu-a"]
}

service "geo" {
  zones    = ["us-a", "eu-a"]
  replicas = 2
}

database "main" {
  engine = "postgres"
}

database "profiles" {
  engine = "postgres"
  tls    = true
}

search "index" {
  engine = "opensearch"
}

service "worker" {
  call {
    to = search.index
  }
  call {
    to = external.psp
  }
  call { # want "plaintext-traffic" "^the call service.worker → external.smtp crosses the internet \\(trust zone private → public\\) without TLS$"
    to = external.smtp
  }
}

external "psp" {}

external "smtp" {
  tls = false
}
