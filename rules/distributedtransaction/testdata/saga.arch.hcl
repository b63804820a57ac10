# The clean twin of checkout.arch.hcl: the same writes as a saga with a
# compensation for every step (issue 23 case 8).
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

flow "checkout" {
  entry = client.web
  op    = "write"
  transaction {
    mode = "saga"
    compensate {
      write = database.orders
      with  = service.checkout
    }
    compensate {
      write = database.payments
      with  = service.payments
    }
    compensate {
      write = queue.events
      with  = service.checkout
    }
  }
}
