system "withconfig" {
}

service "two" {
  replicas = 2 # want "one-instance" "service.two has 2 instance"
}

service "three" {
  replicas = 3
}
