# Classified data at rest and in transit.
#
# Positive: database.customers keeps pii without encryption at rest and
# service.billing reads it in plaintext; flow "signup" carries pii over the
# plaintext call to service.accounts and into queue.audit, which is not
# encrypted at rest. Clean twins: database.cards (secret, encrypted, TLS);
# the sessions cache keeps nothing on disk. Near the threshold: flow
# "browse" reads through the same services but carries internal data only,
# and database.catalog keeps confidential data encrypted, over TLS.
system "data" {}

client "web" {
  rps = 100
  call {
    to  = load_balancer.edge
    tls = true
  }
}

load_balancer "edge" {
  tls = true
  call {
    to = service.api
  }
}

service "api" {
  tls = true
  call { # want "data-protection" "^flow \"signup\" carries pii data over service.api → service.accounts without TLS: client.web → load_balancer.edge → service.api → service.accounts$"
    to = service.accounts
    op = "write"
  }
  call {
    to = database.catalog
    op = "read"
  }
  call {
    to = cache.sessions
    op = "read"
  }
}

service "accounts" {
  call {
    to = database.customers
  }
  call {
    to   = queue.audit
    op   = "write"
    mode = "async"
    tls  = true
  }
}

cache "sessions" {
  engine = "redis"
  tls    = true
}

database "customers" {
  engine = "postgres"
  tls    = true # want "data-protection" "^database.customers keeps pii data, but is reached without TLS from service.billing$"
  data {
    classification = "pii" # want "data-protection" "^database.customers keeps pii data and is not encrypted at rest$"
  }
}

database "catalog" {
  engine = "postgres"
  tls    = true
  data {
    classification    = "confidential"
    encrypted_at_rest = true
  }
}

database "cards" {
  engine = "postgres"
  tls    = true
  data {
    classification    = "secret"
    encrypted_at_rest = true
  }
}

queue "audit" { # want "data-protection" "^flow \"signup\" carries pii data to queue.audit, which is not encrypted at rest: client.web → load_balancer.edge → service.api → service.accounts → queue.audit$"
  engine = "kafka"
  tls    = true
}

service "billing" {
  call {
    to  = database.customers
    tls = false
  }
  call {
    to = database.cards
  }
}

flow "signup" {
  entry = client.web
  op    = "write"
  data {
    classification = "pii"
  }
}

flow "browse" {
  entry = client.web
  op    = "read"
  data {
    classification = "internal"
  }
}
