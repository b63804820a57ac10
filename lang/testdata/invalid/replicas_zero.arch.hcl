system "s" {}

service "api" {
  replicas = 0
}
