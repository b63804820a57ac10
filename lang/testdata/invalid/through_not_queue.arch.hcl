system "s" {}

client "c" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {}

flow "send" {
  entry   = client.c
  through = service.api
}
