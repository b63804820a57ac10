system "s" {}

service "api" {
  rollout = "canary"
  deploy {
    strategy = "rolling"
  }
}

service "web" {
  deploy {
    strategy        = "blue_green"
    max_unavailable = 2
  }
}

service "worker" {
  deploy {
    max_unavailable = 0
    max_surge       = 0
  }
}

queue "jobs" {
  overflow     = "drop_newest"
  message_size = 2048
}
