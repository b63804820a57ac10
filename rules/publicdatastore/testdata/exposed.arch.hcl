# Datastores the internet reaches, and their clean twins.
#
# Positive: a load balancer (dmz) that calls a cache directly, and a search
# index in the dmz zone. Clean twins: the database behind service.api
# (private), and the bucket behind the CDN whose content is public.
# Near the threshold: the queue behind a gateway's consumer is reached
# (the gateway is dmz), while the one behind the private worker is not.
system "exposure" {}

client "web" {
  rps = 100
  call {
    to = cdn.assets
  }
  call {
    to = load_balancer.edge
  }
}

cdn "assets" {
  call {
    to = storage.assets
  }
}

storage "assets" {
  engine = "s3"
  data {
    classification = "public"
  }
}

load_balancer "edge" {
  call {
    to = service.api
  }
  call {
    to = cache.sessions
  }
}

cache "sessions" { # want "public-datastore" "^cache.sessions \\(trust zone data\\) is reachable from the internet with no private tier between: client.web → load_balancer.edge → cache.sessions$"
  engine = "redis"
}

service "api" {
  call {
    to = database.orders
  }
  call {
    to   = queue.jobs
    mode = "async"
  }
}

database "orders" {
  engine = "postgres"
}

search "catalog" {
  engine     = "opensearch"
  trust_zone = "dmz" # want "public-datastore" "^search.catalog is a datastore in trust zone dmz: the internet reaches it directly$"
}

queue "jobs" {
  engine = "kafka"
}

queue "events" { # want "public-datastore" "^queue.events \\(trust zone data\\) is reachable from the internet with no private tier between: gateway.hooks → queue.events$"
  engine = "kafka"
}

gateway "hooks" {
  consume {
    from = queue.events
  }
}

service "worker" {
  consume {
    from = queue.jobs
  }
}
