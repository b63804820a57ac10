system "s" {}

service "my api" {
  replicas = 2
}
