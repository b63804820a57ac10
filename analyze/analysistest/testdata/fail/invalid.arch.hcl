system "invalid" {
}

service "api" {
  replicass = 1
}
