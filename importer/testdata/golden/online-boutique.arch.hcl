# Imported by archform from Kubernetes online-boutique.yaml.
# Review it: an import reads what runs, not what it must sustain.
#
# Guessed (check these):
#   - cache.redis-cart: cache redis from image "redis:alpine"
#   - client.users: added, calling what users reach (service.frontend, as they are exposed by a LoadBalancer or NodePort Service or an Ingress)
#   - service.cartservice: calls cache.redis-cart, as REDIS_ADDR=redis-cart:6379 names Service redis-cart
#   - service.checkoutservice: calls service.cartservice, as CART_SERVICE_ADDR=cartservice:7070 names Service cartservice
#   - service.checkoutservice: calls service.currencyservice, as CURRENCY_SERVICE_ADDR=currencyservice:7000 names Service currencyservice
#   - service.checkoutservice: calls service.emailservice, as EMAIL_SERVICE_ADDR=emailservice:5000 names Service emailservice
#   - service.checkoutservice: calls service.paymentservice, as PAYMENT_SERVICE_ADDR=paymentservice:50051 names Service paymentservice
#   - service.checkoutservice: calls service.productcatalogservice, as PRODUCT_CATALOG_SERVICE_ADDR=productcatalogservice:3550 names Service productcatalogservice
#   - service.checkoutservice: calls service.shippingservice, as SHIPPING_SERVICE_ADDR=shippingservice:50051 names Service shippingservice
#   - service.frontend: public, as Service frontend-external of type LoadBalancer exposes it
#   - service.frontend: calls service.adservice, as AD_SERVICE_ADDR=adservice:9555 names Service adservice
#   - service.frontend: calls service.cartservice, as CART_SERVICE_ADDR=cartservice:7070 names Service cartservice
#   - service.frontend: calls service.checkoutservice, as CHECKOUT_SERVICE_ADDR=checkoutservice:5050 names Service checkoutservice
#   - service.frontend: calls service.currencyservice, as CURRENCY_SERVICE_ADDR=currencyservice:7000 names Service currencyservice
#   - service.frontend: calls service.productcatalogservice, as PRODUCT_CATALOG_SERVICE_ADDR=productcatalogservice:3550 names Service productcatalogservice
#   - service.frontend: calls service.recommendationservice, as RECOMMENDATION_SERVICE_ADDR=recommendationservice:8080 names Service recommendationservice
#   - service.frontend: calls service.shippingservice, as SHIPPING_SERVICE_ADDR=shippingservice:50051 names Service shippingservice
#   - service.loadgenerator: calls service.frontend, as FRONTEND_ADDR=frontend:80 names Service frontend
#   - service.recommendationservice: calls service.productcatalogservice, as PRODUCT_CATALOG_SERVICE_ADDR=productcatalogservice:3550 names Service productcatalogservice
#
# Fill in (the input cannot say):
#   - client.users: rps (requests per second at peak) and read_ratio
#   - zones: declare a region with zones and place each component (the manifests pin no workload to zones)
#   - capacity_rps and latency of every component: what one instance sustains, and the mean time it adds
#   - call ops (read, write), timeouts and retries; consume blocks for queue consumers
#   - flow blocks for what users do, with their SLOs (system slo, flow slo)
#
# Not imported:
#   - 11 ServiceAccount object(s): adservice, cartservice, checkoutservice, currencyservice, emailservice, frontend, loadgenerator, paymentservice, productcatalogservice, recommendationservice, shippingservice
#   - service.frontend: SHOPPING_ASSISTANT_SERVICE_ADDR names shoppingassistantservice, which no imported Service is: no call

system "online-boutique" {
  description = "Imported from Kubernetes online-boutique.yaml"
}

client "users" {
  call {
    to = service.frontend
  }
}

service "adservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/adservice:v0.10.6"
  ports = [9555]
  env = {
    PORT = "9555"
  }
  resources {
    cpu    = "200m"
    memory = "180Mi"
  }
  health_check {
    port     = 9555
    interval = "15s"
  }
}

service "cartservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/cartservice:v0.10.6"
  ports = [7070]
  env = {
    REDIS_ADDR = "redis-cart:6379"
  }
  resources {
    cpu    = "200m"
    memory = "64Mi"
  }
  health_check {
    port = 7070
  }
  call {
    to = cache.redis-cart
  }
}

service "checkoutservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/checkoutservice:v0.10.6"
  ports = [5050]
  env = {
    CART_SERVICE_ADDR            = "cartservice:7070"
    CURRENCY_SERVICE_ADDR        = "currencyservice:7000"
    EMAIL_SERVICE_ADDR           = "emailservice:5000"
    PAYMENT_SERVICE_ADDR         = "paymentservice:50051"
    PORT                         = "5050"
    PRODUCT_CATALOG_SERVICE_ADDR = "productcatalogservice:3550"
    SHIPPING_SERVICE_ADDR        = "shippingservice:50051"
  }
  resources {
    cpu    = "100m"
    memory = "64Mi"
  }
  health_check {
    port = 5050
  }
  call {
    to = service.cartservice
  }
  call {
    to = service.currencyservice
  }
  call {
    to = service.emailservice
  }
  call {
    to = service.paymentservice
  }
  call {
    to = service.productcatalogservice
  }
  call {
    to = service.shippingservice
  }
}

service "currencyservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/currencyservice:v0.10.6"
  ports = [7000]
  env = {
    DISABLE_PROFILER = "1"
    PORT             = "7000"
  }
  resources {
    cpu    = "100m"
    memory = "64Mi"
  }
  health_check {
    port = 7000
  }
}

service "emailservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/emailservice:v0.10.6"
  ports = [8080]
  env = {
    DISABLE_PROFILER = "1"
    PORT             = "8080"
  }
  resources {
    cpu    = "100m"
    memory = "64Mi"
  }
  health_check {
    port     = 8080
    interval = "5s"
  }
}

service "frontend" {
  image  = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/frontend:v0.10.6"
  public = true
  ports  = [8080]
  env = {
    AD_SERVICE_ADDR                 = "adservice:9555"
    CART_SERVICE_ADDR               = "cartservice:7070"
    CHECKOUT_SERVICE_ADDR           = "checkoutservice:5050"
    CURRENCY_SERVICE_ADDR           = "currencyservice:7000"
    ENABLE_PROFILER                 = "0"
    PORT                            = "8080"
    PRODUCT_CATALOG_SERVICE_ADDR    = "productcatalogservice:3550"
    RECOMMENDATION_SERVICE_ADDR     = "recommendationservice:8080"
    SHIPPING_SERVICE_ADDR           = "shippingservice:50051"
    SHOPPING_ASSISTANT_SERVICE_ADDR = "shoppingassistantservice:80"
  }
  resources {
    cpu    = "100m"
    memory = "64Mi"
  }
  health_check {
    path = "/_healthz"
    port = 8080
  }
  call {
    to = service.adservice
  }
  call {
    to = service.cartservice
  }
  call {
    to = service.checkoutservice
  }
  call {
    to = service.currencyservice
  }
  call {
    to = service.productcatalogservice
  }
  call {
    to = service.recommendationservice
  }
  call {
    to = service.shippingservice
  }
}

service "loadgenerator" {
  image    = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/loadgenerator:v0.10.6"
  replicas = 1
  env = {
    FRONTEND_ADDR = "frontend:80"
    RATE          = "1"
    USERS         = "10"
  }
  resources {
    cpu    = "300m"
    memory = "256Mi"
  }
  call {
    to = service.frontend
  }
}

service "paymentservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/paymentservice:v0.10.6"
  ports = [50051]
  env = {
    DISABLE_PROFILER = "1"
    PORT             = "50051"
  }
  resources {
    cpu    = "100m"
    memory = "64Mi"
  }
  health_check {
    port = 50051
  }
}

service "productcatalogservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/productcatalogservice:v0.10.6"
  ports = [3550]
  env = {
    DISABLE_PROFILER = "1"
    PORT             = "3550"
  }
  resources {
    cpu    = "100m"
    memory = "64Mi"
  }
  health_check {
    port = 3550
  }
}

service "recommendationservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/recommendationservice:v0.10.6"
  ports = [8080]
  env = {
    DISABLE_PROFILER             = "1"
    PORT                         = "8080"
    PRODUCT_CATALOG_SERVICE_ADDR = "productcatalogservice:3550"
  }
  resources {
    cpu    = "100m"
    memory = "220Mi"
  }
  health_check {
    port     = 8080
    interval = "5s"
  }
  call {
    to = service.productcatalogservice
  }
}

service "shippingservice" {
  image = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/shippingservice:v0.10.6"
  ports = [50051]
  env = {
    DISABLE_PROFILER = "1"
    PORT             = "50051"
  }
  resources {
    cpu    = "100m"
    memory = "64Mi"
  }
  health_check {
    port     = 50051
    interval = "5s"
  }
}

cache "redis-cart" {
  image  = "redis:alpine"
  engine = "redis"
  ports  = [6379]
  resources {
    cpu    = "70m"
    memory = "200Mi"
  }
  health_check {
    port     = 6379
    interval = "5s"
  }
}
