# A flow that must stay available: its reads from async replicas do, its
# writes to the single primary and its reads from etcd do not.
system "path" {}

region "r1" {
  zones = ["a", "b", "c"]
}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = database.orders
  }
  call {
    to = database.config
    op = "read"
  }
  call {
    to       = database.flags
    op       = "read"
    required = false
  }
}

database "orders" {  # want "cap-conflict" "^flow .shop. must stay available in a partition, but database.orders refuses its writes there: every write needs the single primary: the side of a partition without it refuses$"
  engine = "postgres"
  zones  = ["a", "b"]
  replication {
    mode      = "async"
    replicas  = 1
    read_from = "replicas"
  }
}

database "config" {
  engine = "etcd"  # want "cap-conflict" "^flow .shop. must stay available in a partition, but database.config refuses its reads there: etcd refuses requests on the side of a partition without a majority$"
  zones  = ["a", "b", "c"]
}

# A soft dependency: the flow does not need it.
database "flags" {
  engine = "etcd"
}

flow "shop" {
  entry     = client.web
  partition = "available"
}
