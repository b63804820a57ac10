system "s" {}

database "orders" {
  engine   = "postgres"
  replicas = 3
}
