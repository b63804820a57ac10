# ORACLES: 3 layers with retries = 3 each → worst-case amplification 64×.
system "retries" {}

client "web" {
  rps = 100
  call {
    to      = service.a
    retries = 3
  }
}

service "a" {
  call {
    to      = service.b
    retries = 3
  }
}

service "b" {
  call {
    to      = database.c
    retries = 3 # want "retry-amplification" "^worst-case retry amplification = .3 \\+ 1. × .3 \\+ 1. × .3 \\+ 1. = 64× along client.web → service.a → service.b → database.c$"
  }
}

database "c" {
  engine = "postgres"
}
