# A third party with no fallback is a single point of failure of the flows
# that need it; with a fallback to a second provider it is not.
system "provider" {}

client "shop" {
  rps = 50
  call {
    to = service.checkout
  }
}

service "checkout" {
  replicas = 2
  call {
    to = external.tax
  }
  call {
    to       = external.stripe
    fallback = external.adyen
  }
}

external "tax" {  # want "spof" "^losing external.tax leaves external.tax 0 of 1 instances; it needs 1 .flows: client.shop.$"
  availability = 0.999
}

external "stripe" {
  availability = 0.9995
}

external "adyen" {
  availability = 0.999
}
