system "s" {}

database "orders" {}

service "worker" {
  consume {
    from = database.orders
  }
}
