system "s" {}

service {
  replicas = 2
}
