# A consumer that retries a failed message of a queue with no dead_letter
# (ordered by partition: the message holds its partition meanwhile), its
# clean twin with a dead-letter queue, and the threshold: retries = 0 gives
# up at once (nothing to report here: no retry loop), retries = 1 is the
# least that is reported.
system "orders" {}

client "web" {
  rps        = 1000
  read_ratio = 0
  call {
    to = service.api
  }
}

service "api" {
  call {
    to   = queue.orders
    op   = "write"
    mode = "async"
  }
  call {
    to   = queue.billing
    op   = "write"
    mode = "async"
  }
  call {
    to   = queue.emails
    op   = "write"
    mode = "async"
  }
}

queue "orders" {
  engine     = "kafka"
  partitions = 8
  ordering   = "partition"
}

queue "billing" {
  engine      = "kafka"
  partitions  = 8
  ordering    = "partition"
  dead_letter = queue.billing_dlq
}

queue "billing_dlq" {
  engine = "kafka"
}

queue "emails" {
  engine = "rabbitmq"
}

service "worker" {
  consume {
    from    = queue.orders
    retries = 5 # want "dead-letter" "^service.worker retries a failed message of queue.orders 5 times with no dead_letter queue: a message that always fails takes 6 tries; meanwhile it holds its partition \\(ordering = \"partition\"\\) and the 1000 msg/s ÷ 8 = 125 msg/s behind it wait; then it is dropped with no record$"
  }
  consume {
    from    = queue.billing
    retries = 5
  }
  consume {
    from = queue.billing_dlq
  }
}

service "mailer" {
  consume {
    from    = queue.emails
    retries = 0
  }
}

service "mailer2" {
  consume {
    from    = queue.emails
    retries = 1 # want "dead-letter" "^service.mailer2 retries a failed message of queue.emails 1 time with no dead_letter queue: a message that always fails takes 2 tries; then it is dropped with no record$"
  }
}
