// Header comments may come first.
# archform:ignore-file describe -- descriptions live in the wiki
# archform:ignore-file single-replica -- this file has no single instance

service "one" {
  replicas = 2
}

service "two" {
  replicas = 2
}
