system "s" {}

client "web" {}

flow "browse" {
  entry = client.web
}

flow "browse" {
  entry = client.web
  op    = "read"
}
