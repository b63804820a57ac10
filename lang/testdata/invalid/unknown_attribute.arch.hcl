system "s" {}

service "api" {
  replicass = 3
}
