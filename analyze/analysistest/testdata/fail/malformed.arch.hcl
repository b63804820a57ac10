system "malformed" {
}

service "a" {
  replicas = 2 # want "one-instance"
}

service "b" {
  replicas = 2 # want "one-instance" "(unclosed"
}

service "c" {
  replicas = 2 # want one-instance "x"
}
