# Imported by archform from Kubernetes online-boutique.yaml.
# Review it: an import reads what runs, not what it must sustain.
#
# WARNING: 6 component(s) with no call found: service.adservice, service.currencyservice, service.emailservice, service.paymentservice, service.productcatalogservice, service.shippingservice. Add their calls by hand, or lint misses the failures they cause.
#
# Calls found, with their evidence (file:line key):
#   - service.cartservice -> cache.redis-cart: online-boutique.yaml Deployment/cartservice env REDIS_ADDR
#   - service.checkoutservice -> service.cartservice: online-boutique.yaml Deployment/checkoutservice env CART_SERVICE_ADDR
#   - service.checkoutservice -> service.currencyservice: online-boutique.yaml Deployment/checkoutservice env CURRENCY_SERVICE_ADDR
#   - service.checkoutservice -> service.emailservice: online-boutique.yaml Deployment/checkoutservice env EMAIL_SERVICE_ADDR
#   - service.checkoutservice -> service.paymentservice: online-boutique.yaml Deployment/checkoutservice env PAYMENT_SERVICE_ADDR
#   - service.checkoutservice -> service.productcatalogservice: online-boutique.yaml Deployment/checkoutservice env PRODUCT_CATALOG_SERVICE_ADDR
#   - service.checkoutservice -> service.shippingservice: online-boutique.yaml Deployment/checkoutservice env SHIPPING_SERVICE_ADDR
#   - service.frontend -> service.adservice: online-boutique.yaml Deployment/frontend env AD_SERVICE_ADDR
#   - service.frontend -> service.cartservice: online-boutique.yaml Deployment/frontend env CART_SERVICE_ADDR
#   - service.frontend -> service.checkoutservice: online-boutique.yaml Deployment/frontend env CHECKOUT_SERVICE_ADDR
#   - service.frontend -> service.currencyservice: online-boutique.yaml Deployment/frontend env CURRENCY_SERVICE_ADDR
#   - service.frontend -> service.productcatalogservice: online-boutique.yaml Deployment/frontend env PRODUCT_CATALOG_SERVICE_ADDR
#   - service.frontend -> service.recommendationservice: online-boutique.yaml Deployment/frontend env RECOMMENDATION_SERVICE_ADDR
#   - service.frontend -> service.shippingservice: online-boutique.yaml Deployment/frontend env SHIPPING_SERVICE_ADDR
#   - service.loadgenerator -> service.frontend: online-boutique.yaml Deployment/loadgenerator env FRONTEND_ADDR
#   - service.recommendationservice -> service.productcatalogservice: online-boutique.yaml Deployment/recommendationservice env PRODUCT_CATALOG_SERVICE_ADDR
#
# No call found from these (their calls, if any, live where the import cannot read: code, image defaults):
#   - service.adservice
#   - service.currencyservice
#   - service.emailservice
#   - service.paymentservice
#   - service.productcatalogservice
#   - service.shippingservice
#
# Guessed (check these):
#   - cache.redis-cart: cache redis from image "redis:alpine"
#   - client.frontend: added with flow "frontend": users enter at service.frontend (are exposed by a LoadBalancer or NodePort Service or an Ingress)
#   - service.frontend: public, as Service frontend-external of type LoadBalancer exposes it
#   - service.frontend: online-boutique.yaml Deployment/frontend env SHOPPING_ASSISTANT_SERVICE_ADDR names host shoppingassistantservice, which is no component of the input: no call
#
# Fill in (the input cannot say):
#   - client.frontend: rps (requests per second at peak) and read_ratio; until then its flow carries no load
#   - zones: declare a region with zones and place each component (the manifests pin no workload to zones)
#   - capacity_rps and latency of every component: what one instance sustains, and the mean time it adds
#   - call ops (read, write), timeouts and retries; consume blocks for queue consumers
#   - flow blocks for what users do, with their SLOs (system slo, flow slo)
#
# Not imported:
#   - 11 ServiceAccount object(s): adservice, cartservice, checkoutservice, currencyservice, emailservice, frontend, loadgenerator, paymentservice, productcatalogservice, recommendationservice, shippingservice

system "online-boutique" {
  description = "Imported from Kubernetes online-boutique.yaml"
}

client "frontend" {
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

flow "frontend" {
  entry = client.frontend
}
