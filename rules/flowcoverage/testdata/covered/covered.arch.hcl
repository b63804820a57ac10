# Every component on a flow, or off flows by its role: no finding.
system "shop" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.db
  }
  call {
    to = service.registry
  }
}

service "registry" {
  role = "discovery"
}

database "db" {
  engine = "postgres"
}

flow "browse" {
  entry = client.web
}

client "noflow" {
  rps = 1
  call {
    to = service.api
  }
}
