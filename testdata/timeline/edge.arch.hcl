# The users and the API gateway. Timeline reads and tweets arrive through the
# same gateway; the gateway routes reads to the timeline service and writes to
# the tweet service (op on each call).

client "app" {
  description = "Mobile and web clients."
  rps         = var.timeline_rps + var.tweet_rps
  read_ratio  = var.timeline_rps / (var.timeline_rps + var.tweet_rps)
  call {
    to = gateway.api
  }
}

gateway "api" {
  image        = "envoyproxy/envoy:v1.31.2"
  ports        = [443]
  public       = true
  auth         = "jwt"
  replicas     = 18 # 312k rps over 18 × 40k: 0.43; 0.65 with a zone lost
  zones        = local.zones
  capacity_rps = 40000
  latency      = "2ms"
  # Per-user quota: a client refreshing faster than this is a bug or a bot.
  rate_limit {
    algorithm = "token_bucket"
    rate      = 20
    burst     = 60
    per       = "client"
  }
  call {
    to       = service.timeline
    op       = "read"
    protocol = "grpc"
    timeout  = "150ms"
  }
  call {
    to       = service.tweets
    op       = "write"
    protocol = "grpc"
    timeout  = "250ms"
  }
}
