system "s" {}

region "us-east" {
  zones = ["a"]
}

region "us-east" {
  zones = ["b"]
}
