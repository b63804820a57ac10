system "s" {}

database "orders" {}

service "api" {
  call {
    to = cache.orders
  }
}
