system "unexpected" {
}

service "api" {
  replicas = 1 # want "one-instance" "service.api"
}
