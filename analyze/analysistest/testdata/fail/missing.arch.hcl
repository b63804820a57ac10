system "missing" {
}

service "api" {
  replicas = 2 # want "one-instance" "service.api"
}
