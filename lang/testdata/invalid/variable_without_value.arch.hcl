variable "replicas" {
  description = "api instances"
}

system "s" {}

service "api" {
  replicas = var.replicas
}
