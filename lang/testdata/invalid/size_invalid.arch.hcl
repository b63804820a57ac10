system "s" {}

service "api" {
  resources {
    cpu    = "500m"
    memory = "512MB"
  }
}
