system "s" {}

service "api" {
  call {
    op = "read"
  }
}
