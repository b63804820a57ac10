system "s" {}

service "api" {
  healthcheck {
    path = "/healthz"
  }
}
