system "s" {}

region "us-east" {
  zones = ["a", "b"]
}

region "us-west" {
  zones = ["c", "a"]
}
