system "s" {}

region "us-east" {
  zones = ["a"]
}

region "eu-west" {
  zones = ["b"]
}

database "orders" {
  multi_region {
    mode    = "active_passive"
    regions = ["us-east", "eu-wset"]
  }
}
