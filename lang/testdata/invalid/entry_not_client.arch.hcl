system "s" {}

service "api" {}

flow "browse" {
  entry = service.api
}
