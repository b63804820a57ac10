# ORACLES.md, "Model v2": S1 (0.99) → S2 (0.98) → a pair at 0.99 each (1 of 2).
system "textbook" {}

client "c" {
  rps = 10
  call {
    to = service.s1
  }
}

service "s1" {
  availability = 0.99
  call {
    to = service.s2
  }
}

service "s2" {
  availability = 0.98
  call {
    to = service.pair
  }
}

service "pair" {
  replicas     = 2
  availability = 0.99
}
