rule "one-instance" {
  min      = 3
  severity = "warning"
}
