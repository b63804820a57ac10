system "s" {}

region "us-east" {
  zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

service "api" {
  replicas = 3
  zones    = ["us-east-1a", "us-east-1b", "us-east-1d"]
}
