# Linearizable and available in a partition: impossible (Gilbert and Lynch).
# The same need with partition = "consistent" is fine.
system "lin" {}

client "web" {
  rps = 100
  call {
    to = database.accounts
  }
}

database "accounts" {
  engine = "postgres"
}

flow "transfer" {
  entry       = client.web
  op          = "write"
  consistency = "linearizable"
  partition   = "available"  # want "cap-conflict" "^flow .transfer. needs linearizable and partition = .available.: no system can give both while a network partition lasts .Gilbert and Lynch.$"
}

flow "audit" {
  entry       = client.web
  op          = "read"
  consistency = "sequential"
  partition   = "consistent"
}
