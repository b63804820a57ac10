# The finding is on the system block, so a suppression comment there
# accepts it for the whole design (the suppression rule would report a
# comment that silences nothing).
# archform:ignore tracing -- the services log a request id that the log search joins on
system "shop" {}

client "web" {
  rps = 10
  call {
    to = gateway.edge
  }
}

gateway "edge" {
  call {
    to = service.a
  }
}

service "a" {
  call {
    to = service.b
  }
}

service "b" {
  call {
    to = service.c
  }
}

service "c" {}

flow "order" {
  entry = client.web
}
