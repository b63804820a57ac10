system "s" {}

service "api" {
  replicas = 2
  zones    = ["a", "b"]
}
