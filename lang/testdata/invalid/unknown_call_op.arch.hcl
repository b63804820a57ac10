system "s" {}

database "orders" {}

service "api" {
  call {
    to = database.orders
    op = "update"
  }
}
