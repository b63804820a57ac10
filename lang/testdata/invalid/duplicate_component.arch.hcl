system "s" {}

service "api" {
  replicas = 2
}

service "api" {
  replicas = 3
}
