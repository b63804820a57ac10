variable "replicas" {
  default = 3
}

system "s" {}

service "api" {
  replicas = var.replica
}
