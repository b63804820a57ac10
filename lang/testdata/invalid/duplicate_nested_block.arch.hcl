system "s" {}

service "api" {
  health_check {
    path = "/healthz"
  }
  health_check {
    path = "/ready"
  }
}
