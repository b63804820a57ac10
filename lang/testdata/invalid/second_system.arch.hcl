system "shop" {}

system "store" {
  description = "a second system"
}
