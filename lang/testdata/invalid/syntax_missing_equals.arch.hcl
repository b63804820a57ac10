system "s" {}

service "api" {
  replicas 3
}
