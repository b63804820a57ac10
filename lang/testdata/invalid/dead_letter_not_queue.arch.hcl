system "s" {}

database "failed" {}

queue "events" {
  engine      = "kafka"
  dead_letter = database.failed
}
