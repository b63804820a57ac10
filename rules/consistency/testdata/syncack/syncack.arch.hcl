# Issue 23 case 2: "sync" is not read-your-writes on replicas. With
# PostgreSQL's default synchronous_commit = on, a commit waits until the
# synchronous standby has "received the commit record of the transaction and
# flushed it to disk"; only remote_apply waits until it has "applied it, so
# that it has become visible to queries on the standby(s)" (PostgreSQL
# manual, §19.5.1 synchronous_commit; §26.2.8 Synchronous Replication).
# database.flushed is the default and is reported; its clean twin
# database.applied says ack = "apply".
system "syncack" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.flushed
    op = "read"
  }
  call {
    to = database.applied
    op = "read"
  }
}

database "flushed" {
  engine = "postgres"
  replication {
    mode      = "sync"  # want "consistency" "^flow .profile. needs read_your_writes, but reads through database.flushed .sync replicas, ack = flush. give only eventual$"
    replicas  = 2
    read_from = "replicas"
  }
}

database "applied" {
  engine = "postgres"
  replication {
    mode      = "sync"
    ack       = "apply"
    replicas  = 2
    read_from = "replicas"
  }
}

flow "profile" {
  entry       = client.web
  op          = "read"
  consistency = "read_your_writes"
}
