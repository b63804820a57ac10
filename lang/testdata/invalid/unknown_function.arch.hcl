system "s" {}

service "api" {
  description = uppercase("api")
}
