system "multi" {
}

service "a" {
  replicas = 1 // want "one-instance" "service.a" "replicas-attr" "replicas"
}
