system "s" {}

service "api" {
  availability = 99.9
}
