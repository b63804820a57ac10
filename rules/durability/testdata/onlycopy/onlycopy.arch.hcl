# A cache that receives writes of data with an rpo, has no origin and no
# persistence holds the only copy. One that persists, and one whose writer
# also writes to a database are fine. (No flow blocks: the client's implicit
# flow has the system's rpo.)
system "onlycopy" {
  slo {
    rpo = "1m"
  }
}

client "web" {
  rps = 100
  call {
    to = service.sessions
  }
  call {
    to = service.api
  }
}

service "sessions" {
  call {
    to = cache.sessions
    op = "write"
  }
  call {
    to = cache.durable
    op = "write"
  }
}

cache "sessions" {  # want "durability" "^cache.sessions receives writes from service.sessions but has no origin and persistence = .none.: it holds the only copy, which a restart or eviction loses, but flow .client.web. has rpo = .60s.$"
  engine = "redis"
}

cache "durable" {
  engine      = "redis"
  persistence = "aof"
}

service "api" {
  call {
    to = cache.pages
  }
  call {
    to = database.pages
  }
}

cache "pages" {
  engine   = "memcached"
  strategy = "cache_aside"
}

database "pages" {
  engine = "postgres"
}
