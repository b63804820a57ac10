system "s" {}

database "orders" {}

service "api" {
  call {
    to      = database.orders
    timeout = "5sec"
  }
}
