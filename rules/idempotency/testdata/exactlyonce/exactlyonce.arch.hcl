# Issue 23 case 8: delivery = "exactly_once" is a label the graph must
# bear out. Kafka's exactly-once covers reading from Kafka, processing and
# writing back to Kafka in one transaction; a write to a database is not in
# it and repeats when the message is processed again (Apache Kafka
# documentation, §4.6 "Message Delivery Semantics"). The consumer that
# writes a database is reported; the clean twins write only Kafka, or carry
# an idempotency key on the database write.
system "exactlyonce" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to   = queue.payments
    op   = "write"
    mode = "async"
  }
}

queue "payments" {
  engine   = "kafka"
  delivery = "exactly_once"
}

queue "ledger_events" {
  engine   = "kafka"
  delivery = "exactly_once"
}

service "charger" {
  consume {  # want "idempotency" "^service.charger consumes queue.payments with delivery = .exactly_once., but writes outside Kafka .database.charges.: exactly-once does not cover those writes, which repeat when a message is processed again$"
    from = queue.payments
  }
  call {
    to = database.charges
    op = "write"
  }
}

service "enricher" {
  consume {
    from = queue.payments
  }
  call {
    to   = queue.ledger_events
    op   = "write"
    mode = "async"
  }
}

service "recorder" {
  consume {
    from = queue.payments
  }
  call {
    to              = database.charges
    op              = "write"
    idempotency_key = true
  }
}

database "charges" {
  engine = "postgres"
}
