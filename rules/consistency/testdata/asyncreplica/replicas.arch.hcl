# Read-your-writes against replicas: async replicas are reported; sync
# replicas that acknowledge on apply (PostgreSQL synchronous_commit =
# remote_apply: "applied it, so that it has become visible to queries on the
# standby(s)", PostgreSQL manual §19.5.1) and a single primary are not.
system "replicas" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.async
    op = "read"
  }
  call {
    to = database.sync
    op = "read"
  }
  call {
    to = database.primary
    op = "read"
  }
}

database "async" {
  engine = "postgres"
  replication {
    mode      = "async"  # want "consistency" "^flow .profile. needs read_your_writes, but reads through database.async .async replicas. give only eventual$"
    replicas  = 2
    read_from = "replicas"
  }
}

database "sync" {
  engine = "postgres"
  replication {
    mode      = "sync"
    ack       = "apply"
    replicas  = 2
    read_from = "replicas"
  }
}

database "primary" {
  engine = "postgres"
  replication {
    mode     = "async"
    replicas = 2
  }
}

flow "profile" {
  entry       = client.web
  op          = "read"
  consistency = "read_your_writes"
}
