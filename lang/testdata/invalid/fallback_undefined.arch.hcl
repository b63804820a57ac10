system "s" {}

database "orders" {}

service "api" {
  call {
    to       = database.orders
    fallback = cache.orders_ro
  }
}
