# Twelve flows through four services each (gateway.edge, service.a, .b,
# .c) in a design with no tracing component: one finding, on the system
# block, that counts them and names the first five. client.direct's flow
# enters at service.a and crosses three: the threshold, not counted.
system "many" {} # want "tracing" "^12 flows cross more than 3 services \\(c01: 4 services, c02: 4 services, c03: 4 services, c04: 4 services, c05: 4 services and 7 more\\), and the design has no tracing component: a slow or failed request cannot be followed across them$"

client "c01" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c02" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c03" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c04" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c05" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c06" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c07" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c08" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c09" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c10" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c11" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "c12" {
  rps = 10
  call {
    to = gateway.edge
  }
}

client "direct" {
  rps = 10
  call {
    to = service.a
  }
}

gateway "edge" {
  call {
    to = service.a
  }
}

service "a" {
  call {
    to = service.b
  }
}

service "b" {
  call {
    to = service.c
  }
}

service "c" {}

flow "c01" {
  entry = client.c01
}

flow "c02" {
  entry = client.c02
}

flow "c03" {
  entry = client.c03
}

flow "c04" {
  entry = client.c04
}

flow "c05" {
  entry = client.c05
}

flow "c06" {
  entry = client.c06
}

flow "c07" {
  entry = client.c07
}

flow "c08" {
  entry = client.c08
}

flow "c09" {
  entry = client.c09
}

flow "c10" {
  entry = client.c10
}

flow "c11" {
  entry = client.c11
}

flow "c12" {
  entry = client.c12
}

flow "direct" {
  entry = client.direct
}
