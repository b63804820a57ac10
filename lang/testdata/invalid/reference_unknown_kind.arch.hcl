system "s" {}

database "orders" {}

service "api" {
  call {
    to = databse.orders
  }
}
