system "s" {}

database "orders" {
  engine = "postgres"
  replication {
    mode     = "none"
    replicas = 2
  }
}
