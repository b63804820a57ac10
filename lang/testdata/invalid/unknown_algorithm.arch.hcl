system "s" {}

load_balancer "edge" {
  algorithm = "round-robin"
}
