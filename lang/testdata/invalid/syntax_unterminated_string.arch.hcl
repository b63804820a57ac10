system "s" {}

service "api" {
  image = "ghcr.io/example/api:1.0
  replicas = 2
}
