system "s" {}

database "kv" {
  engine = "etcd"
  quorum {
    n = 3
    r = 4
  }
}
