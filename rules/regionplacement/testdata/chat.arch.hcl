# A chat served from two regions whose presence cache and push consumer live
# in one of them; the api and the message queue are in both (clean twins).
system "chat" {}

region "us" {
  zones = ["us-a", "us-b"]
}

region "eu" {
  zones = ["eu-a", "eu-b"]
}

client "app" {
  rps = 1000
  call {
    to = service.api
  }
}

service "api" {
  replicas = 4
  zones    = ["us-a", "us-b", "eu-a", "eu-b"]
  call {
    to = cache.presence
  }
  call {
    to   = queue.messages
    op   = "write"
    mode = "async"
  }
}

cache "presence" {
  engine   = "redis"
  replicas = 2
  zones    = ["us-a", "us-b"] # want "region-placement" "^flow send is served from regions eu and us, but cache.presence runs only in us: requests served in eu cross regions for it, and the loss of us stops it for every region$"
}

queue "messages" {
  engine   = "kafka"
  replicas = 4
  zones    = ["us-a", "us-b", "eu-a", "eu-b"]
}

service "push" {
  replicas = 2
  zones    = ["us-a", "us-b"] # want "region-placement" "^flow send is served from regions eu and us, but service.push consumes queue.messages and runs only in us: requests served in eu cross regions for it, and the loss of us stops it for every region$"
  consume {
    from = queue.messages
  }
}

flow "send" {
  entry = client.app
}
