system "s" {}

service "api" {
  image           = "example/api:1"
  env             = { GC = "1" }
  env_passthrough = ["GC", "9LIVES"]
  port {
    number  = 8080
    host_ip = "127.0.0.1"
  }
  port {
    number    = 53
    protocol  = "udp"
    host_port = 53
    host_ip   = "localhost"
  }
  port {
    number   = 53
    protocol = "udp"
  }
  port {
    number   = 53
    protocol = "sctp"
  }
  mount {
    type   = "bind"
    target = "/etc/app"
  }
  mount {
    source = "Bad Name"
    target = "/data"
  }
  mount {
    source = "./conf"
    target = "etc/conf"
  }
  mount {
    source = "./a"
    target = "/a"
  }
  mount {
    source = "./b"
    target = "/a"
  }
  volume {
    path = "/var/lib/x"
    name = "-x"
  }
}
