system "wrong" {
}

service "api" {
  replicas = 1 # want "one-instanc" "service.api" "replicas-attr" "replicas = 2"
}

service "web" { # want "one-instance" "service.web" "replicas-attr" "replicas = 1"
  replicas = 1
}
