system "s" {}

service "api" {
  latency = 20
}
