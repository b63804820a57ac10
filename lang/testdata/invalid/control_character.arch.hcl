system "s" {}
service "api" {
  image = "x"
  health_check {
    path = "/he\u007flthz"
  }
  env = { A = "ok\u0001" }
}
