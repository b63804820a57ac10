system "s" {}

service "api" {
  ports = [8080, 70000]
}
