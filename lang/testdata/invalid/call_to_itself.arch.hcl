system "s" {}

service "api" {
  call {
    to = service.api
  }
}
