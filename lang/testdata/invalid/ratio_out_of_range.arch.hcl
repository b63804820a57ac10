system "s" {}

client "web" {
  rps        = 100
  read_ratio = 1.5
}
