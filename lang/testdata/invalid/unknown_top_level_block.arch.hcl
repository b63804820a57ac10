system "s" {}

servce "api" {
  replicas = 2
}
