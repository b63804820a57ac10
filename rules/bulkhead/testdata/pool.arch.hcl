# Worker pools shared by a slow dependency (a payment provider, 100 ms) and
# a fast one (a cache, 1 ms). Each service runs 2 instances with
# concurrency = 100 and receives 1000 rps: 500 calls/s per instance to each
# dependency, so by Little's law 500 × 100 ms = 50 workers wait on the
# provider and 500 × 1 ms = 0.5 on the cache.
#   checkout: no bulkhead, timeout 1s: at its timeout the provider holds
#             500 × 1 s = 500 > 100 − 0.5 workers (warning);
#   guarded:  its clean twin: bulkhead = 60 on the provider's call;
#   near:     timeout 150ms: 500 × 0.15 s = 75 + 0.5 busy of 100: a request
#             waits for a worker with probability 0.004 (Erlang C), under
#             0.05 (not reported);
#   crowded:  timeout 180ms: 90 + 0.5 of 100, fewer than the pool holds on
#             average, but a request waits with probability 0.238 (warning);
#   tight:    bulkhead = 40 below the 50 the provider needs (warning);
#   slowpay:  a 250 ms provider: 125 + 0.5 ≥ 100 at nominal load (error);
#   hung:     no timeout on the provider's call: a hung provider holds every
#             worker (warning); the cache has no timeout either, but it is
#             the fast one (a slow dependency answers in 10 times the
#             fastest's time or more).
system "pay" {}

external "provider" {
  latency = "100ms"
}

external "slow_provider" {
  latency = "250ms"
}

cache "sessions" {
  latency = "1ms"
}

client "web" {
  rps = 1000
  call {
    to = service.checkout
  }
  call {
    to = service.guarded
  }
  call {
    to = service.near
  }
  call {
    to = service.tight
  }
  call {
    to = service.slowpay
  }
  call {
    to = service.hung
  }
  call {
    to = service.crowded
  }
}

service "checkout" {
  replicas    = 2
  concurrency = 100
  call { # want "bulkhead" "^service.checkout's pool of concurrency = 100 workers per instance is shared by external.provider \\(slow: in-flight = 500/s × 100 ms = 50\\) and cache.sessions: in-flight = 500/s × 1 ms = 0.5; when external.provider slows to its timeout, in-flight = 500/s × 1s = 500 > 100 − 0.5: it takes every worker and the calls to cache.sessions starve$"
    to      = external.provider
    timeout = "1s"
  }
  call {
    to = cache.sessions
  }
}

service "guarded" {
  replicas    = 2
  concurrency = 100
  call {
    to       = external.provider
    timeout  = "1s"
    bulkhead = 60
  }
  call {
    to = cache.sessions
  }
}

service "near" {
  replicas    = 2
  concurrency = 100
  call {
    to      = external.provider
    timeout = "150ms"
  }
  call {
    to = cache.sessions
  }
}

service "tight" {
  replicas    = 2
  concurrency = 100
  call {
    to       = external.provider
    timeout  = "1s"
    bulkhead = 40 # want "bulkhead" "^the bulkhead of 40 on service.tight's call to external.provider is below the workers its calls hold at nominal load \\(in-flight = 500/s × 100 ms = 50\\): about 100/s of them are refused$"
  }
  call {
    to = cache.sessions
  }
}

service "slowpay" {
  replicas    = 2
  concurrency = 100 # want "bulkhead" "^service.slowpay's pool of concurrency = 100 workers per instance is full at nominal load: external.slow_provider: in-flight = 500/s × 250 ms = 125 \\(slow\\) \\+ cache.sessions: in-flight = 500/s × 1 ms = 0.5 = 125.5 ≥ 100: calls to cache.sessions wait for a worker behind external.slow_provider$"
  call {
    to = external.slow_provider
  }
  call {
    to = cache.sessions
  }
}

service "hung" {
  replicas    = 2
  concurrency = 100
  call { # want "bulkhead" "^service.hung's pool of concurrency = 100 workers per instance is shared by external.provider \\(slow: in-flight = 500/s × 100 ms = 50\\) and cache.sessions: in-flight = 500/s × 1 ms = 0.5; when external.provider hangs, its calls, with no timeout, hold workers for ever: it takes every worker and the calls to cache.sessions starve$"
    to = external.provider
  }
  call {
    to = cache.sessions
  }
}

service "crowded" {
  replicas    = 2
  concurrency = 100
  call { # want "bulkhead" "^service.crowded's pool of concurrency = 100 workers per instance is shared by external.provider \\(slow: in-flight = 500/s × 100 ms = 50\\) and cache.sessions: in-flight = 500/s × 1 ms = 0.5; when external.provider slows to its timeout, in-flight = 500/s × 180ms = 90, \\+ 0.5 = 90.5 of 100 workers busy on average: a request waits for a worker with probability 0.238 \\(Erlang C\\) > 0.05, the calls to cache.sessions too$"
    to      = external.provider
    timeout = "180ms"
  }
  call {
    to = cache.sessions
  }
}
