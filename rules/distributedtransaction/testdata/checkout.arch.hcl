# Issue 23 case 8: a checkout that writes two databases and a topic with no
# saga, 2PC or outbox. Its clean twin (saga.arch.hcl) declares a saga with a
# compensation for each step.
system "shop" {}

client "web" {
  rps        = 100
  read_ratio = 0
  call {
    to = service.checkout
  }
}

service "checkout" {
  call {
    to = database.orders
    op = "write"
  }
  call {
    to = service.payments
    op = "write"
  }
  call {
    to   = queue.events
    op   = "write"
    mode = "async"
  }
}

service "payments" {
  call {
    to = database.payments
    op = "write"
  }
}

database "orders" {
  engine = "postgres"
}

database "payments" {
  engine = "postgres"
}

queue "events" {
  engine = "kafka"
}

service "shipper" {
  consume {
    from = queue.events
  }
}

flow "checkout" { # want "distributed-transaction" "^flow \"checkout\" writes 3 stores in one request with no transaction: database.orders, queue.events and database.payments; a failure between the writes leaves some written and the others not$"
  entry = client.web
  op    = "write"
}
