system "s" {}

database "orders" {}

service "api" {
  call {
    to            = database.orders
    consistency   = "eventual"
    max_staleness = "5s"
  }
}
