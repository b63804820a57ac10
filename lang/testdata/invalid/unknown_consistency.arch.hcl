system "s" {}

client "web" {}

flow "browse" {
  entry       = client.web
  consistency = "strong"
}
