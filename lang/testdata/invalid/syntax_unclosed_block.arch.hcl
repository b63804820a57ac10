system "s" {}

service "api" {
  replicas = 3

database "orders" {
  engine = "postgres"
}
