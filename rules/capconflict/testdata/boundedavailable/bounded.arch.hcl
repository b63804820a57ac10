# Issue 23 case 9: bounded staleness with partition = "available". The
# search index refreshes every second, but in a partition Elasticsearch's
# minority side keeps serving reads, so staleness grows with the partition
# (Jepsen, "Elasticsearch 1.1.0", Kingsbury 2014; Elasticsearch reference,
# "Near real-time search"). The clean twin refuses in a partition instead.
system "bounded" {}

client "web" {
  rps = 100
  call {
    to = search.products
    op = "read"
  }
}

search "products" {
  engine = "elasticsearch"
  zones  = ["a", "b", "c"]
}

region "r1" {
  zones = ["a", "b", "c"]
}

flow "browse" {
  entry         = client.web
  op            = "read"
  consistency   = "bounded_staleness"
  max_staleness = "5s"
  partition     = "available"  # want "cap-conflict" "^flow .browse. needs bounded_staleness .5s. and partition = .available.: a side of a network partition that keeps answering serves data older than 5s once the partition outlasts it$"
}

flow "catalogue" {
  entry         = client.web
  op            = "read"
  consistency   = "bounded_staleness"
  max_staleness = "5s"
  partition     = "consistent"
}
