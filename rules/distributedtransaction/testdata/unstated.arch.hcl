# The calls state no op: each is taken to read and write (the default), so
# the flow may write both stores, and the finding says it is an assumption.
system "unstated" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.a
  }
  call {
    to = queue.q
  }
}

database "a" {
  engine = "postgres"
}

queue "q" {
  engine = "kafka"
}

flow "f" { # want "distributed-transaction" "^flow \"f\" may write 2 stores in one request with no transaction: database.a and queue.q \\(no call to them states its op, so each is taken to read and write\\); a failure between the writes leaves some written and the others not$"
  entry = client.web
}
