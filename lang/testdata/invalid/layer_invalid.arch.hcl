system "s" {}

load_balancer "edge" {
  layer = 5
}
