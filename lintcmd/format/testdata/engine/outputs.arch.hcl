service "api" {
  description = "public API"
  replicas    = 1
  zones = [
    "a",
    "b",
    "c",
    "d",
  ]
}

service "tabbed" {
	replicas = 1 # archform:ignore single-replica -- a tab-indented line, accepted
}

cache "sessions" {
  replicas = 1
}
