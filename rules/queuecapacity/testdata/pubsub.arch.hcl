# A pub_sub queue: every group gets every message. The search indexer keeps
# up (2 instances × 4 workers × 200 = 1600 msg/s ≥ 1200); the audit group
# (1 × 2 × 500 = 1000 msg/s) does not.
system "pubsub" {}

client "web" {
  rps        = 1200
  read_ratio = 0
  call {
    to = queue.changes
    op = "write"
  }
}

queue "changes" {
  engine    = "kafka"
  pattern   = "pub_sub"
  retention = "7d"
}

service "indexer" {
  replicas = 2
  consume {
    from    = queue.changes
    workers = 4
    rate    = 200
  }
}

service "audit" {
  consume {
    from    = queue.changes
    workers = 2 # want "queue-capacity" "^consumers slower than producers: drain = 2 workers × 1 instance × 500 msg/s = 1000 msg/s < 1200 msg/s written to queue.changes: the backlog grows by 200 msg/s without bound$"
    rate    = 500
  }
}
