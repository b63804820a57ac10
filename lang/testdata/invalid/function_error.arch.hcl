system "s" {}

service "api" {
  description = upper("a", "b")
}
