system "s" {}
client "c" {
  rps = 1e300
}
