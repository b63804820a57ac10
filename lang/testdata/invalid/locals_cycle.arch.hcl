system "s" {}

locals {
  a = local.b + 1
  b = local.a + 1
}
