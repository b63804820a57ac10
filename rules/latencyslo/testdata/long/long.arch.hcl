# A path of eight pure delays of 1 to 8 ms: the message names the five
# largest shares, in path order, and sums the other three into one term.
system "long" {}

client "web" {
  rps = 10
  call {
    to = service.s1
  }
}

flow "page" {  # want "latency-slo" "^flow .page.: latency_mean = 4 ms .service.s4. \\+ 5 ms .service.s5. \\+ 6 ms .service.s6. \\+ 7 ms .service.s7. \\+ 8 ms .service.s8. \\+ 6 ms .3 more hops. = 36 ms > 10 ms$"
  entry = client.web
  slo {
    latency_mean = "10ms"
  }
}

service "s1" {
  latency = "1ms"
  call {
    to = service.s2
  }
}

service "s2" {
  latency = "2ms"
  call {
    to = service.s3
  }
}

service "s3" {
  latency = "3ms"
  call {
    to = service.s4
  }
}

service "s4" {
  latency = "4ms"
  call {
    to = service.s5
  }
}

service "s5" {
  latency = "5ms"
  call {
    to = service.s6
  }
}

service "s6" {
  latency = "6ms"
  call {
    to = service.s7
  }
}

service "s7" {
  latency = "7ms"
  call {
    to = service.s8
  }
}

service "s8" {
  latency = "8ms"
}
