# Negative cases: a circuit breaker breaks the chain (only one retrying layer
# is left on each side of it), a single retrying layer, and a cycle.
system "breaker" {}

client "web" {
  rps = 100
  call {
    to      = service.a
    retries = 3
  }
}

service "a" {
  call {
    to              = service.b
    retries         = 3
    circuit_breaker = true
  }
}

service "b" {
  call {
    to      = database.c
    retries = 1
  }
  call {
    to          = service.d
    op          = "read"
    per_request = 0.1
  }
}

service "d" {
  call {
    to          = service.b
    op          = "read"
    per_request = 0.1
  }
}

database "c" {
  engine = "postgres"
}
