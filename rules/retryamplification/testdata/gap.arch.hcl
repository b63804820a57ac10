# A chain with a layer that does not retry in the middle is one chain:
# (1 + 1) × (1 + 1) × (1 + 1) = 8×, reported once, where it ends.
system "gap" {}

client "web" {
  rps = 10
  call {
    to      = service.a
    retries = 1
  }
}

service "a" {
  call {
    to      = service.b
    retries = 1
  }
}

service "b" {
  call {
    to = service.c
  }
}

service "c" {
  call {
    to      = database.d
    retries = 1 # want "retry-amplification" "^worst-case retry amplification = .1 \\+ 1. × .1 \\+ 1. × .1 \\+ 1. = 8× along client.web → service.a → service.b → service.c → database.d$"
  }
}

database "d" {
  engine = "postgres"
}
