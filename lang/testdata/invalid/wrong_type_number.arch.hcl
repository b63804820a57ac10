system "s" {}

service "api" {
  replicas = "three"
}
