system "s" {}

service "api" {
  hit_ratio = 0.9
}
