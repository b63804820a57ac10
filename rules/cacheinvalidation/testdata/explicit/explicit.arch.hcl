# Explicit invalidation races with cache-aside fills under read_your_writes;
# lease invalidation does not; a ttl-only cache is the consistency rule's.
system "explicit" {}

client "web" {
  rps = 100
  call {
    to = service.api
  }
}

service "api" {
  call {
    to = cache.profiles
    op = "read"
  }
  call {
    to = cache.avatars
    op = "read"
  }
  call {
    to = cache.pages
    op = "read"
  }
}

cache "profiles" {
  engine       = "redis"
  strategy     = "cache_aside"
  invalidation = "explicit"  # want "cache-invalidation" "^flow .profile. needs read_your_writes, but cache.profiles invalidates by deleting on write, which races with reads that miss: a stale value can come back for up to its ttl of 10m$"
  ttl          = "10m"
  origin       = database.users
}

cache "avatars" {
  engine       = "redis"
  strategy     = "cache_aside"
  invalidation = "lease"
  ttl          = "10m"
  origin       = database.users
}

cache "pages" {
  engine   = "redis"
  strategy = "cache_aside"
  ttl      = "60s"
  origin   = database.users
}

database "users" {
  engine = "postgres"
}

flow "profile" {
  entry       = client.web
  op          = "read"
  consistency = "read_your_writes"
}
