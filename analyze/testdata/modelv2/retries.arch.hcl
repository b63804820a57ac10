# Retries as load: 400 rps to a backend of 5 servers of 5 ms (1000 rps), a
# timeout of 10 ms and 1 retry: about 1.14 tries per call. Even if every try
# timed out the backend would carry 2 × 400 rps below 1: no storm can hold.
system "retries" {}

client "web" {
  rps = 400
  call {
    to = service.api
  }
}

service "api" {
  latency = "1ms"
  call {
    to      = service.backend
    timeout = "10ms"
    retries = 1
  }
}

service "backend" {
  capacity_rps = 1000
  latency      = "5ms"
}
