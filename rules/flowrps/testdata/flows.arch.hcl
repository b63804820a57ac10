# The client sends 100 rps, 90 of them reads: a read flow of 200 rps and a
# write flow of 10.5 rps ask for more than it sends; 90 reads and 10
# writes (the near-threshold twins) do not.
system "shop" {}

client "web" {
  rps        = 100
  read_ratio = 0.9
  call {
    to = service.api
  }
}

service "api" {}

flow "browse" {
  entry = client.web
  op    = "read"
  rps   = 200 # want "flow-rps" "^flow .browse. asks 200 rps of client.web, but client.web sends 100 rps × read_ratio 0.9 = 90 rps of reads$"
}

flow "browse_ok" {
  entry = client.web
  op    = "read"
  rps   = 90
}

flow "order" {
  entry = client.web
  op    = "write"
  rps   = 10.5 # want "flow-rps" "^flow .order. asks 10.5 rps of client.web, but client.web sends 100 rps × \\(1 − read_ratio 0.9\\) = 10 rps of writes$"
}

flow "order_ok" {
  entry = client.web
  op    = "write"
  rps   = 10
}
