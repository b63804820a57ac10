# One client per case, since a request's writes follow from its entry:
#   one:     writes one database (the threshold is two stores): clean, and
#            a transaction there is an info;
#   two:     one database and one queue, nothing declared: a finding;
#   outbox:  the same writes with an outbox: clean;
#   split:   an outbox whose queue another service publishes to;
#   twodb:   an outbox over two databases;
#   xa:      2PC over two PostgreSQL databases: its availability cost;
#   nonxa:   2PC with a Kafka topic among its participants;
#   partial: a saga missing a compensation, and one compensating nothing.
system "modes" {}

client "one" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.one
  }
}

service "one" {
  call {
    to = database.a
    op = "write"
  }
  call {
    to = database.b
    op = "read"
  }
  call {
    to   = queue.q
    op   = "read"
    mode = "async"
  }
}

client "two" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.two
  }
}

service "two" {
  call {
    to = database.a
    op = "write"
  }
  call {
    to   = queue.q
    op   = "write"
    mode = "async"
  }
}

client "outbox" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.two
  }
}

client "split" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.split
  }
}

service "split" {
  call {
    to = database.a
    op = "write"
  }
  call {
    to = service.publisher
    op = "write"
  }
}

service "publisher" {
  call { # want "distributed-transaction" "^flow \"split\" uses an outbox, but service.publisher publishes to queue.q and service.split writes database.a: the outbox table must be written by the publisher, in its own database's transaction$"
    to   = queue.q
    op   = "write"
    mode = "async"
  }
}

client "twodb" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.twodb
  }
}

service "twodb" {
  call {
    to = database.a
    op = "write"
  }
  call {
    to = database.b
    op = "write"
  }
  call {
    to   = queue.q
    op   = "write"
    mode = "async"
  }
}

client "xa" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.xa
  }
}

service "xa" {
  availability = 0.9995
  call {
    to = database.a
    op = "write"
  }
  call {
    to = database.b
    op = "write"
  }
}

client "nonxa" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.two
  }
}

client "partial" {
  rps        = 10
  read_ratio = 0
  call {
    to = service.xa
  }
}

database "a" {
  engine = "postgres"
}

database "b" {
  engine = "mysql"
}

queue "q" {
  engine = "kafka"
}

service "worker" {
  consume {
    from = queue.q
  }
}

flow "one" {
  entry = client.one
  op    = "write"
}

flow "one_declared" {
  entry = client.one
  op    = "write"
  transaction { # want "distributed-transaction" "^flow \"one_declared\" declares a saga transaction but its requests write one store, database.a, whose local transaction is atomic already$"
    mode = "saga"
  }
}

flow "two" { # want "distributed-transaction" "^flow \"two\" writes 2 stores in one request with no transaction: database.a and queue.q; a failure between the writes leaves some written and the others not$"
  entry = client.two
  op    = "write"
}

flow "outbox" {
  entry = client.outbox
  op    = "write"
  transaction {
    mode = "outbox"
  }
}

flow "split" {
  entry = client.split
  op    = "write"
  transaction {
    mode = "outbox"
  }
}

flow "twodb" {
  entry = client.twodb
  op    = "write"
  transaction {
    mode = "outbox" # want "distributed-transaction" "^flow \"twodb\" uses an outbox, which makes one database and the queues it publishes to atomic, but it writes 2 stores that are not queues \\(database.a and database.b\\)$"
  }
}

flow "xa" {
  entry = client.xa
  op    = "write"
  transaction {
    mode = "2pc" # want "distributed-transaction" "^flow \"xa\" uses two-phase commit: a request commits only while service.xa and all 2 participants are up, A = 0.9995 × 0.999 × 0.999 = 0.997502 \\(a local transaction and an outbox or saga need service.xa and database.a: 0.998501\\); while the coordinator is down \\(\\(1 − 0.9995\\) × 43200 min = 21.6 min a month\\) prepared transactions hold their locks in database.a and database.b$"
  }
}

flow "nonxa" {
  entry = client.nonxa
  op    = "write"
  transaction {
    mode = "2pc" # want "distributed-transaction" "cannot take part in it: no XA prepare" "distributed-transaction" "uses two-phase commit: a request commits only while service.two and all 2 participants"
  }
}

flow "partial" {
  entry = client.partial
  op    = "write"
  transaction { # want "distributed-transaction" "^flow \"partial\"'s saga has no compensation for database.b: when a later step fails, that write stays$"
    mode = "saga"
    compensate {
      write = database.a
      with  = service.xa
    }
    compensate { # want "distributed-transaction" "^flow \"partial\"'s saga compensates queue.q, which its requests do not write \\(they write database.a and database.b\\)$"
      write = queue.q
      with  = service.xa
    }
  }
}
