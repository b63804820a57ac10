database "orders" {
  description = "orders, with a comma, a colon: and 100% of the data"
  replicas    = 2
}
