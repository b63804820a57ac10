service "b" {
  replicas = 3
}

service "c" { # want "one-instance" "service.c has 1 instance" "replicas-attr" "replicas = 1"
}
