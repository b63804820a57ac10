# Imported designs often have no client and no flow: nothing is analysed.
system "imported" {} # want "flow-coverage" "^the design has no client: no flow starts anywhere, so the failures, load and latency of its 2 components are not checked$"

service "api" {
  call {
    to = database.db
  }
}

database "db" {
  engine = "postgres"
}
