system "s" {}

service "api" {
  replicas = 2.5
}
