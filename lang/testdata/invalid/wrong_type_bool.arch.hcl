system "s" {}

gateway "edge" {
  public = "yes"
}
