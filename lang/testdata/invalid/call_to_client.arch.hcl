system "s" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = client.web
  }
}
