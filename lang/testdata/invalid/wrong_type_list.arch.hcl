system "s" {}

region "r1" {
  zones = ["a", "b"]
}

service "api" {
  zones = "a"
}
