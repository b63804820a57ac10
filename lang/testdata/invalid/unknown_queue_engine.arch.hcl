system "s" {}

queue "events" {
  engine = "kafkaa"
}
